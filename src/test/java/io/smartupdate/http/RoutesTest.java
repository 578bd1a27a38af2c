package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TinyServer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The route table matched without a server: exact before prefix, first prefix wins, 404, 405 with Allow. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoutesTest {
  private static HttpHandler handler(String name) {
    return new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange exchange) {
        Json.send(exchange, 200, Map.of("handler", name));
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static Routes table(HttpFeature... features) {
    return Routes.table(List.of(features));
  }

  private static ApiError failure(Routes routes, String method, String path) {
    return assertThrows(ApiError.class, () -> routes.match(method, path));
  }

  @Test
  void templateIsMatchedBeforeAPrefixAndOnlyForOneSegment() {
    HttpHandler prefix = handler("prefix");
    HttpHandler template = handler("template");
    Routes routes = table(r -> r.addPrefix("GET", "/api/nodes/", prefix), r -> r.add("GET", "/api/nodes/*/inventory", template));
    assertSame(template, routes.match("GET", "/api/nodes/ilo-10.0.0.5/inventory"));
    assertSame(prefix, routes.match("GET", "/api/nodes/ilo-10.0.0.5"));
    assertSame(prefix, routes.match("GET", "/api/nodes/a/b/inventory"));
    assertEquals("ilo5-1", Routes.segment("/api/nodes/*/inventory", "/api/nodes/ilo5-1/inventory"));
    assertEquals(null, Routes.segment("/api/nodes/*/inventory", "/api/nodes//inventory"));
    assertThrows(IllegalArgumentException.class, () -> table(r -> r.add("GET", "/api/*x/y", template)));
  }

  @Test
  void exactPathIsMatchedBeforeAPrefix() {
    HttpHandler prefix = handler("prefix");
    HttpHandler exact = handler("exact");
    // The prefix is registered first: order does not matter between exact paths and prefixes.
    Routes routes = table(r -> r.addPrefix("GET", "/api/", prefix), r -> r.add("GET", "/api/catalog", exact));
    assertSame(exact, routes.match("GET", "/api/catalog"));
    assertSame(prefix, routes.match("GET", "/api/catalog/x"));
    assertSame(prefix, routes.match("GET", "/api/other"));
  }

  @Test
  void exactPathWithoutTheMethodIs405EvenWhenAPrefixWouldHaveIt() {
    Routes routes = table(r -> r.addPrefix("GET", "/api/", handler("prefix")).add("POST", "/api/status", handler("post")));
    ApiError e = failure(routes, "GET", "/api/status");
    assertEquals(405, e.status());
    assertEquals("POST", e.headers().get("Allow"));
  }

  @Test
  void firstMatchingPrefixWins() {
    HttpHandler firmware = handler("firmware");
    HttpHandler hpe = handler("hpe");
    HttpHandler api = handler("api");
    Routes routes = table(r -> r.addPrefix("GET", "/firmware/", firmware), r -> r.addPrefix("GET", "/firmware/hpe/", hpe)
        .addPrefix("GET", "/api/", api));
    assertSame(firmware, routes.match("GET", "/firmware/hpe/ilo5.bin"), "the earlier, shorter prefix wins");
    assertSame(api, routes.match("GET", "/api/x"));

    Routes reversed = table(r -> r.addPrefix("GET", "/firmware/hpe/", hpe), r -> r.addPrefix("GET", "/firmware/", firmware));
    assertSame(hpe, reversed.match("GET", "/firmware/hpe/ilo5.bin"));
    assertSame(firmware, reversed.match("GET", "/firmware/dell/x.bin"));
  }

  @Test
  void moreMethodsOnAPrefixKeepTheirPlace() {
    HttpHandler get = handler("get");
    HttpHandler delete = handler("delete");
    HttpHandler later = handler("later");
    Routes routes = table(r -> r.addPrefix("GET", "/a/", get), r -> r.addPrefix("GET", "/a/b/", later),
        r -> r.addPrefix("DELETE", "/a/", delete));
    assertSame(get, routes.match("GET", "/a/b/c"));
    assertSame(delete, routes.match("DELETE", "/a/b/c"), "the second method joined the first registration of /a/");
  }

  @Test
  void pathWithoutARouteIs404ApiError() {
    Routes routes = table(r -> r.add("GET", "/health", handler("health")).addPrefix("DELETE", "/api/handoff/", handler("h")));
    for (String path : List.of("/", "/nothing", "/healthz", "/api/handoff", "/firmware%2Fx")) {
      ApiError e = failure(routes, "GET", path);
      assertEquals(404, e.status(), path);
      assertEquals("not_found", e.error());
      assertTrue(e.detail().contains(path), e.detail());
    }
  }

  @Test
  void wrongMethodIs405ListingTheAllowedMethodsSorted() {
    Routes routes = table(r -> r.add("POST", "/api/handoff", handler("post")).add("GET", "/api/handoff", handler("get"))
        .add("DELETE", "/api/handoff", handler("delete")));
    ApiError e = failure(routes, "PUT", "/api/handoff");
    assertEquals(405, e.status());
    assertEquals("method_not_allowed", e.error());
    assertEquals(Map.of("Allow", "DELETE, GET, POST"), e.headers());
    assertTrue(e.detail().contains("DELETE or GET or POST"), e.detail());
  }

  @Test
  void wrongMethodOnAPrefixIs405Too() {
    Routes routes = table(r -> r.addPrefix("DELETE", "/api/handoff/", handler("d")).addPrefix("GET", "/api/handoff/", handler("g")));
    ApiError e = failure(routes, "POST", "/api/handoff/abc");
    assertEquals(405, e.status());
    assertEquals("DELETE, GET", e.headers().get("Allow"));
  }

  @Test
  void duplicateRegistrationThrows() {
    IllegalStateException exact = assertThrows(IllegalStateException.class,
        () -> table(r -> r.add("GET", "/health", handler("a")), r -> r.add("GET", "/health", handler("b"))));
    assertEquals("route GET /health registered twice", exact.getMessage());
    IllegalStateException prefix = assertThrows(IllegalStateException.class,
        () -> table(r -> r.addPrefix("GET", "/firmware/", handler("a")).addPrefix("GET", "/firmware/", handler("b"))));
    assertEquals("route GET /firmware/ registered twice", prefix.getMessage());
    // The same path with another method, or as exact and prefix, is not a duplicate.
    table(r -> r.add("GET", "/x/", handler("a")).add("POST", "/x/", handler("b")).addPrefix("GET", "/x/", handler("c")));
  }

  @Test
  void prefixMustEndWithASlash() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> table(r -> r.addPrefix("GET", "/firmware", handler("a"))));
    assertTrue(e.getMessage().contains("/firmware"), e.getMessage());
  }

  @Test
  void blockingRoutesAreDispatchedToAWorker() {
    Routes routes = table(r -> r.addBlocking("POST", "/api/status", handler("status")));
    assertInstanceOf(BlockingHandler.class, routes.match("POST", "/api/status"));
  }

  @Test
  void builtHandlerAnswersRoutingErrorsAsJson() throws Exception {
    HttpHandler root = Routes.build(List.<HttpFeature>of(r -> r.add("GET", "/health", handler("health")).add("POST", "/health", handler("p"))));
    try (TinyServer server = TinyServer.start(1, root)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> ok = client.send(HttpRequest.newBuilder(server.uri(0, "/health")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals("{\"handler\":\"health\"}", ok.body());
      HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(server.uri(0, "/health")).timeout(Duration.ofSeconds(10))
          .method("PUT", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, wrong.statusCode());
      assertEquals("GET, POST", wrong.headers().firstValue("Allow").orElse(null));
      assertEquals("method_not_allowed", Json.MAPPER.readTree(wrong.body()).get("error").asText());
      HttpResponse<String> missing = client.send(HttpRequest.newBuilder(server.uri(0, "/nope")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
      assertEquals("not_found", Json.MAPPER.readTree(missing.body()).get("error").asText());
    }
  }
}
