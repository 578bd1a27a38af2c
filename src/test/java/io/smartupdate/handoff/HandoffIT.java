package io.smartupdate.handoff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.Tools;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-off sessions end to end: allocation, token enforcement, reclaim, transparent mode. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandoffIT {
  @TempDir Path dir;

  private TestServer start(int first, int size, Duration idle) throws Exception {
    return TestServer.start(dir, c -> c.handoff(new HandoffConfig(first, first + size - 1, false, idle, Duration.ofHours(1))));
  }

  static JsonNode open(TestServer server, Scheme scheme) throws Exception {
    HttpResponse<String> r = server.post(scheme, "/api/handoff", "{}");
    assertEquals(201, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void downloadThroughTheDedicatedPortIsByteExact(Scheme scheme) throws Exception {
    int first = Ports.freeRange(5);
    try (TestServer server = start(first, 5, Duration.ofSeconds(30))) {
      byte[] image = Samples.write(server.repo().resolve("ilo5_310.bin"), 3_000_000, 11);
      JsonNode session = open(server, scheme);
      assertEquals(first, session.get("port").asInt(), "lowest free port first");
      assertEquals(scheme.name().toLowerCase(), session.get("scheme").asText());
      String url = session.get("url").asText();
      assertTrue(url.startsWith(scheme.name().toLowerCase() + "://127.0.0.1:" + first + "/"), url);
      HttpResponse<byte[]> download = server.client().send(HttpRequest.newBuilder(URI.create(url + "firmware/ilo5_310.bin"))
          .header("X-SU-Session", session.get("token").asText()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, download.statusCode());
      assertArrayEquals(image, download.body());
      HttpResponse<String> viaQuery = server.client().send(HttpRequest.newBuilder(URI.create(url + "health?session="
          + session.get("token").asText())).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, viaQuery.statusCode());
      JsonNode listed = Json.MAPPER.readTree(server.getString(scheme, "/api/handoff").body()).get("sessions").get(0);
      assertTrue(listed.get("bytesServed").asLong() >= image.length);
      assertFalse(listed.has("token"), "the list never shows tokens");
    }
  }

  @Test
  void requestsWithoutTheSessionTokenAre403() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofSeconds(30))) {
      JsonNode session = open(server, Scheme.HTTP);
      String base = session.get("url").asText();
      HttpResponse<String> none = server.client().send(HttpRequest.newBuilder(URI.create(base + "health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, none.statusCode());
      assertTrue(Json.MAPPER.readTree(none.body()).get("detail").asText().contains("X-SU-Session"));
      HttpResponse<String> wrong = server.client().send(HttpRequest.newBuilder(URI.create(base + "health"))
          .header("X-SU-Session", "not-the-token").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, wrong.statusCode());
      assertEquals(401, server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/handoff"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "opening needs the write token");
    }
  }

  @Test
  void portHeldByAnotherProcessIsSkipped() throws Exception {
    int first = Ports.freeRange(3);
    try (ServerSocket squatter = new ServerSocket(first); TestServer server = start(first, 3, Duration.ofSeconds(30))) {
      assertEquals(first + 1, open(server, Scheme.HTTP).get("port").asInt());
      assertEquals(first + 2, open(server, Scheme.HTTP).get("port").asInt());
      HttpResponse<String> full = server.post(Scheme.HTTP, "/api/handoff", "{}");
      assertEquals(503, full.statusCode());
      assertTrue(full.headers().firstValue("retry-after").isPresent());
      assertTrue(Json.MAPPER.readTree(full.body()).get("detail").asText().contains(first + "-" + (first + 2)));
      assertTrue(squatter.isBound());
    }
  }

  @Test
  void malformedJsonBodyIs400NotAServerError() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofSeconds(30))) {
      for (String body : List.of("{\"scheme\":", "[1]", "{}{}")) {
        HttpResponse<String> r = server.post(Scheme.HTTP, "/api/handoff", body);
        assertEquals(400, r.statusCode(), body + " -> " + r.body());
        assertEquals("invalid_body", Json.MAPPER.readTree(r.body()).get("error").asText(), r.body());
      }
      assertEquals(0, Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/handoff").body()).get("sessions").size(),
          "no session was opened by a refused request");
    }
  }

  @Test
  void aClientMayAskForItsOwnIdleTimeoutWithinTheMaximumLife() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofSeconds(30))) {
      for (String bad : List.of("0", "-5", "1.5", "\"60\"")) {
        HttpResponse<String> r = server.post(Scheme.HTTP, "/api/handoff", "{\"idleSeconds\":" + bad + "}");
        assertEquals(400, r.statusCode(), bad + " -> " + r.body());
        assertTrue(r.body().contains("idleSeconds"), r.body());
      }
      HttpResponse<String> r = server.post(Scheme.HTTP, "/api/handoff", "{\"idleSeconds\":180}");
      assertEquals(201, r.statusCode(), r.body());
      assertEquals(180, Json.MAPPER.readTree(r.body()).get("idleSeconds").asLong());
      JsonNode listed = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/handoff").body());
      assertEquals(30, listed.get("idleSeconds").asLong(), "the server's default is unchanged");
      assertEquals(180, listed.get("sessions").get(0).get("idleSeconds").asLong());
    }
  }

  @Test
  void repeatedTransparentHandoffsOfOneClientShareOneSession() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofSeconds(30))) {
      Samples.write(server.repo().resolve("bios.bin"), 1000, 3);
      Set<String> locations = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> redirect = server.getString(Scheme.HTTP, "/firmware/bios.bin?handoff=1");
        assertEquals(307, redirect.statusCode(), redirect.body());
        locations.add(redirect.headers().firstValue("location").orElseThrow());
      }
      assertEquals(1, locations.size(), "one port and token for one client: " + locations);
      assertEquals(first + 1, open(server, Scheme.HTTP).get("port").asInt(), "the rest of the range is still free");
    }
  }

  @Test
  void transparentHandoffWithTheRangeFullIs503WithRetryAfter() throws Exception {
    int first = Ports.freeRange(1);
    try (TestServer server = start(first, 1, Duration.ofSeconds(30))) {
      Samples.write(server.repo().resolve("bios.bin"), 1000, 3);
      open(server, Scheme.HTTP);
      HttpResponse<String> full = server.getString(Scheme.HTTP, "/firmware/bios.bin?handoff=1");
      assertEquals(503, full.statusCode(), full.body());
      assertTrue(full.headers().firstValue("retry-after").isPresent());
      assertEquals("handoff_ports_exhausted", Json.MAPPER.readTree(full.body()).get("error").asText());
    }
  }

  @Test
  void concurrentRequestsNeverShareAPort() throws Exception {
    int first = Ports.freeRange(50);
    try (TestServer server = start(first, 50, Duration.ofSeconds(60))) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) results.add(pool.submit(() -> server.post(Scheme.HTTP, "/api/handoff", "{}")));
      Set<Integer> ports = new HashSet<>();
      int refused = 0;
      for (Future<HttpResponse<String>> result : results) {
        HttpResponse<String> r = result.get();
        if (r.statusCode() == 201) {
          assertTrue(ports.add(Json.MAPPER.readTree(r.body()).get("port").asInt()), "a port was handed out twice");
        } else {
          assertEquals(503, r.statusCode());
          refused++;
        }
      }
      pool.shutdown();
      assertEquals(50, ports.size());
      assertEquals(150, refused);
    }
  }

  @Test
  void idleSessionIsReclaimedAndDeleteFreesThePortAtOnce() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofMillis(500))) {
      int idlePort = open(server, Scheme.HTTP).get("port").asInt();
      assertTrue(Ports.accepts(idlePort));
      awaitNoSessions(server, 10);
      assertFalse(Ports.accepts(idlePort), "the idle session's port refuses connections");

      JsonNode session = open(server, Scheme.HTTP);
      int port = session.get("port").asInt();
      HttpResponse<String> deleted = server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/handoff/" + session.get("id").asText()))
          .header("Authorization", "Bearer " + server.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(204, deleted.statusCode());
      assertFalse(Ports.accepts(port));
      assertEquals(port, open(server, Scheme.HTTP).get("port").asInt(), "the port is back in the pool at once");
      assertEquals(404, server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/handoff/nope"))
          .header("Authorization", "Bearer " + server.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void transparentModeIsFollowedByARealCurl(Scheme scheme) throws Exception {
    String curl = Tools.require("curl").toString();
    int first = Ports.freeRange(3);
    try (TestServer server = start(first, 3, Duration.ofSeconds(30))) {
      byte[] image = Samples.write(server.repo().resolve("hpe/U46.flash"), 2_000_000, 5);
      Path out = dir.resolve("via-redirect.bin");
      int code = Tools.run(60, dir.resolve("curl.log"), curl, "-sS", "-L", "--fail", "--cacert", dir.resolve("certs/server.crt").toString(),
          "-o", out.toString(), "-w", "%{url_effective}", server.uri(scheme, "/firmware/hpe/U46.flash?handoff=1").toString());
      String log = Files.readString(dir.resolve("curl.log"));
      assertEquals(0, code, log);
      assertTrue(log.contains(":" + first + "/firmware/hpe/U46.flash?session="), "followed to the dedicated port: " + log);
      assertArrayEquals(image, Files.readAllBytes(out));
    }
  }

  @Test
  void stoppingTheServerClosesEveryDedicatedListener() throws Exception {
    int first = Ports.freeRange(3);
    TestServer server = start(first, 3, Duration.ofSeconds(30));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) ports.add(open(server, i % 2 == 0 ? Scheme.HTTP : Scheme.HTTPS).get("port").asInt());
    server.close();
    for (int port : ports) assertFalse(Ports.accepts(port), "port " + port + " still open after stop");
  }

  // README: "At the end, its listener closes and the port returns to the pool at once. Responses
  // in flight finish, then the session's connections are closed."
  @Test
  void deleteWhileAResponseIsInFlightClosesThePortLetsTheResponseFinishThenClosesTheConnection() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = start(first, 2, Duration.ofSeconds(30))) {
      byte[] image = Samples.write(server.repo().resolve("big.bin"), 32 * 1024 * 1024, 9);
      JsonNode session = open(server, Scheme.HTTP);
      int port = session.get("port").asInt();
      try (Socket download = slowDownload(port, session.get("token").asText(), "big.bin")) {
        byte[] start = download.getInputStream().readNBytes(64 * 1024);
        long before = System.nanoTime();
        HttpResponse<String> deleted = server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/handoff/" + session.get("id").asText()))
            .header("Authorization", "Bearer " + server.token()).timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertTrue(System.nanoTime() - before < 5_000_000_000L, "DELETE did not wait for the download");
        assertFalse(Ports.accepts(port), "the listener closed at once, with the response still in flight");
        assertEquals(port, open(server, Scheme.HTTP).get("port").asInt(), "the port is back in the pool at once");
        // The keep-alive connection ends after the response: a stall here times out and fails.
        assertArrayEquals(image, body(start, RawHttp.readUntilClosed(download.getInputStream())), "the response in flight finished");
      }
    }
  }

  @Test
  void maximumLifeEndsASessionWithAResponseInFlightThatStillFinishes() throws Exception {
    int first = Ports.freeRange(2);
    Duration maxLife = Duration.ofMillis(1500);
    try (TestServer server = TestServer.start(dir, c -> c.handoff(new HandoffConfig(first, first + 1, false, Duration.ofMillis(500), maxLife)))) {
      byte[] image = Samples.write(server.repo().resolve("big.bin"), 32 * 1024 * 1024, 10);
      JsonNode session = open(server, Scheme.HTTP);
      int port = session.get("port").asInt();
      try (Socket download = slowDownload(port, session.get("token").asText(), "big.bin")) {
        byte[] start = download.getInputStream().readNBytes(64 * 1024);
        // The response stays in flight (the client reads nothing for a while), so the 500 ms idle
        // timeout never applies; only the maximum life can end the session.
        awaitNoSessions(server, 10);
        assertFalse(Ports.accepts(port), "the listener closed at the maximum life");
        assertArrayEquals(image, body(start, RawHttp.readUntilClosed(download.getInputStream())), "the response in flight finished");
      }
    }
  }

  private static byte[] body(byte[] start, byte[] rest) {
    byte[] all = Arrays.copyOf(start, start.length + rest.length);
    System.arraycopy(rest, 0, all, start.length, rest.length);
    String head = new String(all, 0, Math.min(all.length, 1024), StandardCharsets.ISO_8859_1);
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    return Arrays.copyOfRange(all, head.indexOf("\r\n\r\n") + 4, all.length);
  }

  /** A GET on a dedicated port with a small receive buffer: most of the body stays on the server until read. */
  private static Socket slowDownload(int port, String token, String name) throws Exception {
    return SlowReader.get(port, 8192, 15_000, null, "/firmware/" + name, "X-SU-Session: " + token);
  }

  static void awaitNoSessions(TestServer server, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/handoff").body()).get("sessions").isEmpty()) return;
      Thread.sleep(50);
    }
    throw new AssertionError("sessions still open after " + seconds + " s");
  }
}
