package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.Problem;
import io.smartupdate.testing.TinyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded JSON bodies on a tiny real Undertow: {@code /echo} answers the body length with a 64-byte
 * limit; {@code /boom} and {@code /bad} receive a body and then throw. Malformed requests go over
 * raw sockets (read timeout 10 s), so a server that waits for bytes that never come fails the test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonBodyTest {
  private static final int LIMIT = 64;
  private static final List<Integer> received = new CopyOnWriteArrayList<>();
  /** Requests that reached the handler (past Undertow's own request parsing). */
  private static final List<String> arrived = new CopyOnWriteArrayList<>();
  private static TinyServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    server = TinyServer.start(1, HttpErrors.handler(exchange -> {
      arrived.add(exchange.getRelativePath());
      switch (exchange.getRelativePath()) {
        case "/boom" -> JsonBody.receive(exchange, LIMIT, (ex, body) -> {
          throw new IllegalStateException("handler bug (expected by JsonBodyTest)");
        });
        case "/bad" -> JsonBody.receive(exchange, LIMIT, (ex, body) -> {
          throw Problem.BadInput.field("phase", "must be one of inventory, flashing");
        });
        case "/blocking" -> JsonBody.receiveBlocking(exchange, LIMIT, (ex, body) -> {
          Json.send(ex, 200, Map.of("n", body.length, "ioThread", ex.isInIoThread()));
        });
        default -> JsonBody.receive(exchange, LIMIT, (ex, body) -> {
          received.add(body.length);
          Json.send(ex, 200, Map.of("n", body.length));
        });
      }
    }));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @BeforeEach
  void clear() {
    received.clear();
    arrived.clear();
  }

  private static String json(int length) {
    // {"m":"xxx…"} is 8 bytes plus the x's.
    return "{\"m\":\"" + "x".repeat(length - 8) + "\"}";
  }

  private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(0, path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) request.header("Content-Type", contentType);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode tree(String body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  /** Sends {@code parts} as separate flushed writes on one connection and reads the response. */
  private static TinyServer.Response raw(String... parts) throws Exception {
    try (Socket socket = server.socket()) {
      OutputStream out = socket.getOutputStream();
      for (String part : parts) {
        out.write(part.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      return TinyServer.read(socket.getInputStream());
    }
  }

  private static String head(String... headers) {
    return "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  @Test
  void bodyWithinTheLimitArrivesWhole() throws Exception {
    HttpResponse<String> r = post("/echo", "application/json", json(40));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(40, tree(r.body()).get("n").asInt());
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() throws Exception {
    HttpResponse<String> r = post("/echo", "application/json; charset=UTF-8", json(LIMIT));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(LIMIT, tree(r.body()).get("n").asInt());
  }

  @Test
  void chunkedBodyWithinTheLimitArrivesWhole() throws Exception {
    String body = json(50);
    TinyServer.Response r = raw(head("Content-Type: application/json", "Transfer-Encoding: chunked"),
        chunk(body.substring(0, 10)), chunk(body.substring(10, 30)), chunk(body.substring(30)), "0\r\n\r\n");
    assertEquals(200, r.status(), r.body());
    assertEquals(50, tree(r.body()).get("n").asInt());
  }

  @Test
  void bodyInSeveralSmallWritesArrivesWhole() throws Exception {
    // Separate flushed writes with TCP_NODELAY; the kernel may still merge some, which is fine.
    String body = json(60);
    TinyServer.Response r = raw(head("Content-Type: application/json", "Content-Length: 60"),
        body.substring(0, 1), body.substring(1, 7), body.substring(7, 30), body.substring(30, 59), body.substring(59));
    assertEquals(200, r.status(), r.body());
    assertEquals(60, tree(r.body()).get("n").asInt());
    assertEquals(List.of(60), received, "the handler ran once, with the whole body");
  }

  @Test
  void anAnnouncedLengthFarAboveTheLimitIs413WithoutReadingTheBody() throws Exception {
    try (Socket socket = server.socket()) {
      // The body is never sent: an answer proves the server did not wait for it.
      socket.getOutputStream().write(head("Content-Type: application/json", "Content-Length: " + (LIMIT + JsonBody.DISCARD_LIMIT + 1))
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      TinyServer.Response r = TinyServer.read(in);
      assertEquals(413, r.status(), r.head() + r.body());
      assertEquals("payload_too_large", tree(r.body()).get("error").asText());
      assertEquals(-1, in.read(), "the connection is closed after the refusal");
    }
    assertEquals(List.of("/echo"), arrived, "JsonBody refused it, not Undertow");
    assertEquals(List.of(), received);
  }

  @Test
  void aBodySomewhatOverTheLimitIsReadToItsEndThenRefusedOnAConnectionThatStaysOpen() throws Exception {
    // All of it sent before reading: a server closing on unread bytes would reset the connection,
    // which can destroy the 413 before the client reads it.
    String over = json(LIMIT * 200);
    try (Socket socket = server.socket()) {
      OutputStream out = socket.getOutputStream();
      out.write((head("Content-Type: application/json", "Content-Length: " + over.length()) + over).getBytes(StandardCharsets.ISO_8859_1));
      String body = json(30);
      out.write((head("Content-Type: application/json", "Content-Length: " + body.length()) + body).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      TinyServer.Response refused = TinyServer.read(in);
      assertEquals(413, refused.status(), refused.head() + refused.body());
      assertEquals("payload_too_large", tree(refused.body()).get("error").asText());
      TinyServer.Response next = TinyServer.read(in);
      assertEquals(200, next.status(), "the next request on the same connection is served: " + next.head() + next.body());
      assertEquals(30, tree(next.body()).get("n").asInt());
    }
    assertEquals(List.of(30), received, "the oversized body never reached the handler");
  }

  @Test
  void aClientWaitingFor100ContinueIsRefusedAtOnce() throws Exception {
    try (Socket socket = server.socket()) {
      socket.getOutputStream().write(head("Content-Type: application/json", "Content-Length: " + LIMIT * 2, "Expect: 100-continue")
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      TinyServer.Response r = TinyServer.read(in);
      assertEquals(413, r.status(), r.head() + r.body());
      assertEquals(-1, in.read(), "the body that was never sent is not waited for");
    }
  }

  @Test
  void chunkedBodyGrowingPastTheLimitIs413() throws Exception {
    try (Socket socket = server.socket()) {
      // 80 bytes of a body with no end: the server must stop at the limit, not wait for the last chunk.
      String start = head("Content-Type: application/json", "Transfer-Encoding: chunked") + chunk("x".repeat(40)) + chunk("y".repeat(40));
      socket.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
      TinyServer.Response r = TinyServer.read(socket.getInputStream());
      assertEquals(413, r.status(), r.head() + r.body());
      assertEquals("payload_too_large", tree(r.body()).get("error").asText());
    }
    assertEquals(List.of(), received);
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpResponse<String> r = post("/echo", "text/plain", json(20));
    assertEquals(415, r.statusCode(), r.body());
    assertEquals("unsupported_media_type", tree(r.body()).get("error").asText());
    assertTrue(tree(r.body()).get("detail").asText().contains("text/plain"));
    assertEquals(415, post("/echo", null, json(20)).statusCode(), "no content type at all");
    assertEquals(415, post("/echo", "application/jsonx", json(20)).statusCode());
    assertEquals(List.of(), received);
  }

  @Test
  void contentTypeIsMatchedWithoutCaseAndParameters() throws Exception {
    assertEquals(200, post("/echo", "Application/JSON ; charset=utf-8", json(20)).statusCode());
  }

  @Test
  void nonNumericContentLengthIs400AndClosesTheConnection() throws Exception {
    for (String length : List.of("twelve", "12x", "+12", "-5", "0x0c", "1 2")) {
      try (Socket socket = server.socket()) {
        socket.getOutputStream().write((head("Content-Type: application/json", "Content-Length: " + length) + json(12))
            .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        TinyServer.Response r = TinyServer.read(in);
        assertEquals(400, r.status(), length + ": " + r.head() + r.body());
        assertEquals(-1, in.read(), length + ": the connection is closed");
      }
    }
    assertEquals(List.of(), received);
  }

  /**
   * Undertow 2.4.4 refuses these in its request parser with an empty 400 before any handler runs,
   * so JsonBody's own check (and the JSON error shape) is never reached for them.
   */
  @Test
  @Disabled("bug: a non-numeric Content-Length is answered by Undertow's parser with an empty 400, not the JSON error shape")
  void nonNumericContentLengthIs400WithAJsonError() throws Exception {
    TinyServer.Response r = raw(head("Content-Type: application/json", "Content-Length: twelve"), json(12));
    assertEquals(400, r.status(), r.head() + r.body());
    assertEquals("bad_request", tree(r.body()).path("error").asText(), r.head() + r.body());
    assertTrue(tree(r.body()).path("detail").asText().contains("twelve"), r.body());
  }

  @Test
  void contentLengthWithTrailingSpaceIsStillANumber() throws Exception {
    String body = json(12);
    TinyServer.Response r = raw(head("Content-Type: application/json", "Content-Length: 12 ") + body);
    assertEquals(200, r.status(), r.head() + r.body());
    assertEquals(12, tree(r.body()).get("n").asInt());
  }

  @Test
  void contentLengthTooLongForALongIs413Not500() throws Exception {
    // 2^64 wraps to 0 in a 64-bit parser: the check must read the header text, not a parsed long.
    // (19-21 digit values never get here: Undertow 2.4.4's parser answers them with an empty 400.)
    List<String> lengths = List.of("9".repeat(25), "9".repeat(23), "18446744073709551616");
    for (String length : lengths) {
      TinyServer.Response r = raw(head("Content-Type: application/json", "Content-Length: " + length));
      assertEquals(413, r.status(), length + ": " + r.head() + r.body());
      assertEquals("payload_too_large", tree(r.body()).get("error").asText());
    }
    assertEquals(lengths.size(), arrived.size(), "JsonBody answered them, not Undertow's parser");
  }

  @Test
  void contentLengthWithManyLeadingZerosIsItsValue() throws Exception {
    String body = json(12);
    TinyServer.Response r = raw(head("Content-Type: application/json", "Content-Length: " + "0".repeat(30) + "12") + body);
    assertEquals(200, r.status(), r.head() + r.body());
    assertEquals(12, tree(r.body()).get("n").asInt());
  }

  @Test
  void exceptionFromTheHandlerIs500InternalError() throws Exception {
    HttpResponse<String> r = post("/boom", "application/json", json(20));
    assertEquals(500, r.statusCode(), r.body());
    assertEquals("internal_error", tree(r.body()).get("error").asText());
    assertTrue(!r.body().contains("handler bug"), "no internals in the answer: " + r.body());
  }

  @Test
  void problemFromTheHandlerIs400WithItsCode() throws Exception {
    HttpResponse<String> r = post("/bad", "application/json", json(20));
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("invalid_phase", tree(r.body()).get("error").asText());
    assertEquals("phase must be one of inventory, flashing", tree(r.body()).get("detail").asText());
  }

  @Test
  void connectionStaysUsableAfterAnAcceptedBody() throws Exception {
    try (Socket socket = server.socket()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < 3; i++) {
        String body = json(20 + i);
        out.write((head("Content-Type: application/json", "Content-Length: " + body.length()) + body)
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        TinyServer.Response r = TinyServer.read(in);
        assertEquals(200, r.status());
        assertEquals(20 + i, tree(r.body()).get("n").asInt());
      }
    }
  }

  @Test
  void aBlockingHandlerRunsOnAWorkerEvenWhenTheBodyEndsOnAnIoThread() throws Exception {
    // Headers first, the body a moment later: its last chunk is read by an IO thread.
    try (Socket socket = new Socket("127.0.0.1", server.port(0))) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String body = json(20);
      out.write(("POST /blocking HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);
      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.endsWith("{\"n\":20,\"ioThread\":false}") || answer.endsWith("{\"ioThread\":false,\"n\":20}"), answer);
    }
  }
}
