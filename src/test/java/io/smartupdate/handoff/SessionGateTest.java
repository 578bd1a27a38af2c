package io.smartupdate.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.HttpErrors;
import io.smartupdate.http.Json;
import io.smartupdate.testing.TestClock;
import io.smartupdate.testing.TinyServer;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate in front of the routes, on a tiny real Undertow with two listeners: listener 0 plays
 * the initial port, listener 1 is the whole hand-off range, so a session opened by the manager
 * "owns" it (the fake binder binds nothing; the port is already being served).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionGateTest {
  private static final Duration IDLE = Duration.ofHours(1);

  private final TestClock clock = new TestClock();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  /** Paths that reached the handler behind the gate. */
  private final List<String> reachedNext = new CopyOnWriteArrayList<>();
  /** Paths of exchanges that completed, after the gate's own completion listener ran. */
  private final BlockingQueue<String> completed = new LinkedBlockingQueue<>();
  private final CountDownLatch slowEntered = new CountDownLatch(1);
  private final CountDownLatch slowRelease = new CountDownLatch(1);
  private volatile HttpHandler gate;
  private TinyServer server;
  private HandoffManager manager;

  @BeforeEach
  void start() {
    HttpHandler slow = new BlockingHandler(ex -> {
      slowEntered.countDown();
      assertTrue(slowRelease.await(20, TimeUnit.SECONDS));
      Json.send(ex, 200, Map.of("path", ex.getRelativePath()));
    });
    HttpHandler next = ex -> {
      reachedNext.add(ex.getRelativePath());
      if (ex.getRelativePath().equals("/slow")) {
        slow.handleRequest(ex);
      } else {
        Json.send(ex, 200, Map.of("path", ex.getRelativePath()));
      }
    };
    server = TinyServer.start(2, ex -> {
      String path = ex.getRelativePath();
      // Added before the gate's listener, so it runs after it (listeners run last-added first) and,
      // with proceed() first, after it in any order.
      ex.addExchangeCompleteListener((done, nextListener) -> {
        nextListener.proceed();
        completed.add(path);
      });
      gate.handleRequest(ex);
    });
    manager = new HandoffManager(new HandoffConfig(sessionPort(), sessionPort(), false, IDLE, Duration.ofHours(4)),
        (port, tls) -> () -> {}, clock);
    gate = HttpErrors.handler(manager.gate(next));
  }

  @AfterEach
  void stop() {
    slowRelease.countDown();
    if (manager != null) manager.close();
    if (server != null) server.close();
  }

  private int sessionPort() {
    return server.port(1);
  }

  private HttpResponse<String> get(URI uri, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  @Test
  void sessionPortWithoutTheTokenIs403WithAJsonError() throws Exception {
    HandoffSession session = manager.open("ilo-1", "http");
    assertEquals(sessionPort(), session.port);
    HttpResponse<String> r = get(server.uri(1, "/health"));
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("forbidden", json(r).get("error").asText());
    assertTrue(json(r).get("detail").asText().contains("X-SU-Session"));
    assertEquals(List.of(), reachedNext);
  }

  @Test
  void wrongTokenIs403Too() throws Exception {
    HandoffSession session = manager.open("ilo-1", "http");
    assertEquals(403, get(server.uri(1, "/health"), "X-SU-Session", session.token + "x").statusCode());
    assertEquals(403, get(server.uri(1, "/health?session=nope")).statusCode());
    assertEquals(List.of(), reachedNext);
  }

  @Test
  void tokenInTheHeaderReachesTheRoutes() throws Exception {
    HandoffSession session = manager.open("ilo-1", "http");
    HttpResponse<String> r = get(server.uri(1, "/firmware/a.bin"), "X-SU-Session", session.token);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(List.of("/firmware/a.bin"), reachedNext);
    assertEquals("/firmware/a.bin", completed.poll(10, TimeUnit.SECONDS));
    assertTrue(session.view().bytesServed() > 0, "served bytes are counted for the session");
    assertEquals(0, session.view().requestsInFlight());
  }

  @Test
  void tokenInTheQueryReachesTheRoutes() throws Exception {
    HandoffSession session = manager.open("ilo-1", "http");
    HttpResponse<String> r = get(server.uri(1, "/firmware/a.bin?session=" + session.token));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(List.of("/firmware/a.bin"), reachedNext);
  }

  @Test
  void initialPortIsNotGated() throws Exception {
    manager.open("ilo-1", "http");
    assertEquals(200, get(server.uri(0, "/health")).statusCode());
    assertEquals(List.of("/health"), reachedNext);
  }

  @Test
  void requestInFlightKeepsTheSessionAliveAndItsEndCountsAsActivity() throws Exception {
    HandoffSession session = manager.open("ilo-1", "http");
    CompletableFuture<HttpResponse<String>> download = client.sendAsync(HttpRequest.newBuilder(server.uri(1, "/slow"))
        .timeout(Duration.ofSeconds(20)).header("X-SU-Session", session.token).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(slowEntered.await(10, TimeUnit.SECONDS));
    assertEquals(1, session.view().requestsInFlight());
    clock.advance(IDLE.multipliedBy(3));
    manager.reap();
    assertFalse(session.closed(), "a request in flight is activity");

    slowRelease.countDown();
    assertEquals(200, download.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals("/slow", completed.poll(10, TimeUnit.SECONDS));
    assertEquals(0, session.view().requestsInFlight());
    assertEquals(clock.instant(), session.view().lastActivity(), "the idle timeout restarts when the request ends");
    clock.advance(IDLE);
    manager.reap();
    assertFalse(session.closed());
    clock.advance(Duration.ofSeconds(1));
    manager.reap();
    assertTrue(session.closed());
  }

  @Test
  void handoffQueryOnTheInitialPortRedirectsToAFreshSession() throws Exception {
    HttpResponse<String> r = get(server.uri(0, "/firmware/hpe/x.bin?handoff=1"));
    assertEquals(307, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElse(null);
    assertNotNull(location);
    HandoffSession session = manager.sessionAt(new InetSocketAddress("127.0.0.1", sessionPort()));
    assertNotNull(session, "the redirect opened a session");
    assertEquals("http://127.0.0.1:" + sessionPort() + "/firmware/hpe/x.bin?session=" + session.token, location);
    assertEquals(List.of(), reachedNext, "the redirect itself is not served by the routes");

    HttpResponse<String> followed = get(URI.create(location));
    assertEquals(200, followed.statusCode(), followed.body());
    assertEquals(List.of("/firmware/hpe/x.bin"), reachedNext);
  }

  @Test
  void handoffQueryWithTheRangeFullIs503WithRetryAfter() throws Exception {
    manager.open("ilo-1", "http");
    HttpResponse<String> r = get(server.uri(0, "/firmware/x.bin?handoff=1"));
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("handoff_ports_exhausted", json(r).get("error").asText());
    assertEquals("30", r.headers().firstValue("Retry-After").orElse(null));
  }

  @Test
  void handoffQueryOnlyRedirectsFirmwareDownloads() throws Exception {
    assertEquals(200, get(server.uri(0, "/api/catalog?handoff=1")).statusCode());
    assertEquals(200, client.send(HttpRequest.newBuilder(server.uri(0, "/firmware/x.bin?handoff=1"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(200, get(server.uri(0, "/firmware/x.bin?handoff=0")).statusCode());
    assertEquals(List.of("/api/catalog", "/firmware/x.bin", "/firmware/x.bin"), reachedNext);
    assertEquals(List.of(), manager.list(), "no session was opened");
  }
}
