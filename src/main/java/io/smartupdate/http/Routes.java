package io.smartupdate.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route table: exact paths, templates with one {@code *} segment ({@code /api/nodes/{@literal *}/inventory})
 * and path prefixes, per method, matched in that order. Paths are matched on the raw (still
 * percent-encoded) request path; handlers decode what they need themselves.
 */
public final class Routes {
  private final Map<String, Map<String, HttpHandler>> exact = new LinkedHashMap<>();
  private final Map<String, Map<String, HttpHandler>> templates = new LinkedHashMap<>();
  private final List<Map.Entry<String, Map<String, HttpHandler>>> prefixes = new ArrayList<>();

  /** Builds the root handler from features, in the order given. */
  public static HttpHandler build(List<? extends HttpFeature> features) {
    return new ErrorHandler(table(features)::dispatch);
  }

  /** The table alone, for matching without a server. */
  static Routes table(List<? extends HttpFeature> features) {
    Routes routes = new Routes();
    for (HttpFeature feature : features) feature.routing(routes);
    return routes;
  }

  /**
   * Routes {@code method path} to a handler that runs on the IO thread and must not block. A path
   * with one {@code *} segment is a template: {@code *} stands for one non-empty segment.
   */
  public Routes add(String method, String path, HttpHandler handler) {
    if (path.contains("*") && (path.indexOf('*') != path.lastIndexOf('*') || !path.contains("/*/") && !path.endsWith("/*"))) {
      throw new IllegalArgumentException("a template has one * standing for a whole segment: " + path);
    }
    methods(path, handler, (path.contains("*") ? templates : exact).computeIfAbsent(path, p -> new LinkedHashMap<>()), method);
    return this;
  }

  /** The segment a template's {@code *} stood for in {@code path} (still percent-encoded), or null when it does not match. */
  public static String segment(String template, String path) {
    int star = template.indexOf('*');
    int after = template.length() - star - 1;
    // compared in place: every request that is not an exact path is tried against each template
    if (path.length() <= star + after || !path.regionMatches(0, template, 0, star)
        || !path.regionMatches(path.length() - after, template, star + 1, after)) return null;
    String middle = path.substring(star, path.length() - after);
    return middle.indexOf('/') >= 0 ? null : middle;
  }

  /** Routes {@code method path} to a handler that may block (disk sync, JDBC, waiting); it runs on a worker thread. */
  public Routes addBlocking(String method, String path, HttpHandler handler) {
    return add(method, path, blocking(handler));
  }

  /** Wraps a handler that may block so that it runs on a worker thread, with the same JSON error mapping. */
  public static HttpHandler blocking(HttpHandler handler) {
    return new BlockingHandler(new ErrorHandler(handler));
  }

  /** Routes every path under {@code prefix} (which ends with '/') for the given method. */
  public Routes addPrefix(String method, String prefix, HttpHandler handler) {
    if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with '/': " + prefix);
    Map<String, HttpHandler> byMethod = null;
    for (var entry : prefixes) if (entry.getKey().equals(prefix)) byMethod = entry.getValue();
    if (byMethod == null) {
      byMethod = new LinkedHashMap<>();
      prefixes.add(Map.entry(prefix, byMethod));
    }
    methods(prefix, handler, byMethod, method);
    return this;
  }

  private static void methods(String path, HttpHandler handler, Map<String, HttpHandler> byMethod, String method) {
    if (byMethod.putIfAbsent(method, handler) != null) {
      throw new IllegalStateException("route " + method + " " + path + " registered twice");
    }
  }

  /** The handler for {@code method path}: an exact path first, then the first matching prefix; 404 or 405 otherwise. */
  HttpHandler match(String method, String path) {
    return match(method, path, null);
  }

  /** As {@link #match(String, String)}, telling {@code exchange} (when given) the route's template for the observers. */
  private HttpHandler match(String method, String path, HttpServerExchange exchange) {
    Map<String, HttpHandler> byMethod = exact.get(path);
    String template = path;
    if (byMethod == null) {
      for (var entry : templates.entrySet()) {
        if (segment(entry.getKey(), path) != null) {
          byMethod = entry.getValue();
          template = entry.getKey();
          break;
        }
      }
    }
    if (byMethod == null) {
      for (var entry : prefixes) {
        if (path.startsWith(entry.getKey())) {
          byMethod = entry.getValue();
          template = entry.getKey() + "*";
          break;
        }
      }
    }
    // Only table entries become templates: a raw path would make metrics labels unbounded.
    if (exchange != null && byMethod != null) exchange.putAttachment(Attachments.ROUTE, template);
    if (byMethod == null) {
      throw ApiError.notFound("no route for " + path + "; firmware is under /firmware/, the catalog at /api/catalog");
    }
    HttpHandler handler = byMethod.get(method);
    if (handler == null) {
      Set<String> allowed = new TreeSet<>(byMethod.keySet());
      throw new ApiError(405, "method_not_allowed", method + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
          Map.of("Allow", String.join(", ", allowed)));
    }
    return handler;
  }

  private void dispatch(HttpServerExchange exchange) throws Exception {
    match(exchange.getRequestMethod().toString(), exchange.getRelativePath(), exchange).handleRequest(exchange);
  }
}
