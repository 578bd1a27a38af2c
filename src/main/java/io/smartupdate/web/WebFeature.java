package io.smartupdate.web;

import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpErrors;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;

/**
 * {@code GET /} and {@code GET /ui/view.js|app.js|app.css}: the live page. The page names its assets with
 * their version ({@code ?v=HASH}), so a versioned asset may be cached for good while the page
 * itself is revalidated on every load (ETag, 304).
 *
 * <pre>curl -i http://host:63001/</pre>
 */
public final class WebFeature implements HttpFeature {
  /** No inline script or style anywhere: the page only runs and styles what it loads from here. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  static final Map<String, String> HEADERS = Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY", "Cross-Origin-Opener-Policy", "same-origin");
  private static final String PREFIX = "/ui/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final Asset page;
  private final Map<String, Asset> assets;

  private WebFeature(Asset page, Map<String, Asset> assets) {
    this.page = page;
    this.assets = assets;
  }

  /** Reads the page and its assets from the jar. */
  public static WebFeature load() {
    Map<String, Asset> assets = Map.of(
        "view.js", new Asset(Asset.read("view.js"), "text/javascript; charset=utf-8"),
        "app.js", new Asset(Asset.read("app.js"), "text/javascript; charset=utf-8"),
        "app.css", new Asset(Asset.read("app.css"), "text/css; charset=utf-8"));
    String html = Asset.text("index.html");
    for (var asset : assets.entrySet()) html = html.replace("{{" + asset.getKey() + "}}", asset.getValue().version());
    return new WebFeature(new Asset(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"), assets);
  }

  @Override
  public void routing(Routes routes) {
    for (String method : new String[] {"GET", "HEAD"}) {
      routes.add(method, "/", exchange -> send(exchange, page, "no-cache"));
      routes.addPrefix(method, PREFIX, this::asset);
    }
  }

  private void asset(HttpServerExchange exchange) {
    String name = exchange.getRelativePath().substring(PREFIX.length());
    Asset asset = assets.get(name);
    if (asset == null) {
      // The error mapping replaces the headers with the ones it is given: the security headers go along.
      HttpErrors.send(exchange, new Problem.NotFound("no web asset " + name + "; the page is at /"), HEADERS);
      return;
    }
    Deque<String> v = exchange.getQueryParameters().get("v");
    boolean versioned = v != null && asset.version().equals(v.peekFirst());
    send(exchange, asset, versioned ? IMMUTABLE : "no-cache");
  }

  private static void send(HttpServerExchange exchange, Asset asset, String cacheControl) {
    secure(exchange);
    var headers = exchange.getResponseHeaders();
    headers.put(Headers.CACHE_CONTROL, cacheControl);
    headers.put(Headers.ETAG, asset.etag());
    if (matches(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), asset.etag())) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    headers.put(Headers.CONTENT_TYPE, asset.contentType());
    headers.put(Headers.CONTENT_LENGTH, asset.bytes().length);
    if (exchange.getRequestMethod().equalToString("HEAD")) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()));
  }

  /** The security headers of every answer of this feature, the 304s and 404s included. */
  static void secure(HttpServerExchange exchange) {
    HEADERS.forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
  }

  /** If-None-Match: {@code *} or a list of tags; a weak tag matches by its opaque part (RFC 9110 13.1.2). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) return false;
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) return true;
      if (t.startsWith("W/")) t = t.substring(2);
      if (t.equals(etag)) return true;
    }
    return false;
  }
}
