package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.http.Json;
import io.smartupdate.http.Routes;
import io.smartupdate.testing.TinyServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WebFeatureTest {
  @Test
  void ifNoneMatchMatchesTheTagInAListWeakOrStar() {
    String etag = "\"0123456789abcdef\"";
    assertTrue(WebFeature.matches(etag, etag));
    assertTrue(WebFeature.matches("\"other\", W/" + etag, etag));
    assertTrue(WebFeature.matches("*", etag));
    assertFalse(WebFeature.matches(null, etag));
    assertFalse(WebFeature.matches("\"0123456789abcdee\"", etag));
    assertFalse(WebFeature.matches("0123456789abcdef", etag)); // unquoted is not the same tag
  }

  @Test
  void assetVersionFollowsItsBytes() {
    Asset a = new Asset("a".getBytes(StandardCharsets.UTF_8), "text/plain");
    Asset b = new Asset("b".getBytes(StandardCharsets.UTF_8), "text/plain");
    assertEquals(16, a.version().length());
    assertEquals(a.version(), new Asset("a".getBytes(StandardCharsets.UTF_8), "text/plain").version());
    assertNotEquals(a.version(), b.version());
    assertEquals('"' + a.version() + '"', a.etag());
  }

  @Test
  void pageNamesItsAssetsByVersionAndHasNoInlineScriptOrStyle() {
    String page = Asset.text("index.html");
    assertTrue(page.contains("/ui/view.js?v={{view.js}}") && page.contains("/ui/app.js?v={{app.js}}")
        && page.contains("/ui/app.css?v={{app.css}}"), page);
    assertFalse(page.contains("style=") || page.contains("<style") || page.contains("<script>") || page.contains("onclick"),
        "the CSP forbids inline script and style, so the page would break");
    WebFeature.load(); // every asset is in the jar
  }

  @Test
  @Timeout(30)
  void unknownAssetIsA404JsonErrorThatKeepsTheSecurityHeaders() throws Exception {
    try (TinyServer server = TinyServer.start(1, Routes.build(List.of(WebFeature.load())))) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(0, "/ui/nope.js"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode(), r.body());
      assertEquals("not_found", Json.MAPPER.readTree(r.body()).get("error").asText());
      assertTrue(Json.MAPPER.readTree(r.body()).get("detail").asText().contains("nope.js"), r.body());
      WebFeature.HEADERS.forEach((name, value) -> assertEquals(value, r.headers().firstValue(name).orElse(null), name));
    }
  }
}
