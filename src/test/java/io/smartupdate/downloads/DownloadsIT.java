package io.smartupdate.downloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server's record of firmware responses: {@code /api/downloads} and {@code event: download}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DownloadsIT {
  private static final int BIG = 16 * 1024 * 1024;
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aSlowDownloadShowsGrowingProgressThenEndsComplete(Scheme scheme) throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("big.bin"), BIG, 1);
      try (Socket socket = open(server, scheme)) {
        request(socket, "/firmware/big.bin", "Range: bytes=0-");
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long read = readAtLeast(in, buffer, 512 * 1024);
        JsonNode first = awaitOne(server, "/api/downloads?active=true", d -> d.get("sent").asLong() > 0);
        assertEquals("in_flight", first.get("result").asText());
        assertEquals("/firmware/big.bin", first.get("path").asText());
        assertEquals("bytes=0-", first.get("range").asText());
        assertEquals(BIG, first.get("size").asLong());
        assertEquals(BIG, first.get("length").asLong());
        assertEquals(scheme.name().toLowerCase(), first.get("scheme").asText());
        assertEquals("127.0.0.1", first.get("client").asText());
        assertTrue(first.get("ended").isNull());
        assertTrue(first.get("session").isNull());
        assertTrue(first.get("id").asText().matches("d-\\d+"));
        read += readAtLeast(in, buffer, 4 * 1024 * 1024);
        long before = first.get("sent").asLong();
        awaitOne(server, "/api/downloads?active=true", d -> d.get("sent").asLong() > before);
        for (int n; (n = in.read(buffer)) > 0; ) read += n;
      }
      JsonNode done = awaitOne(server, "/api/downloads?active=false", d -> d.get("result").asText().equals("complete"));
      assertEquals(BIG, done.get("sent").asLong());
      assertFalse(done.get("ended").isNull());
      assertEquals(0, list(server, "/api/downloads?active=true").size());
    }
  }

  @Test
  void aClientThatClosesMidwayIsCutByClient() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("big.bin"), BIG, 2);
      try (Socket socket = open(server, Scheme.HTTP)) {
        request(socket, "/firmware/big.bin");
        readAtLeast(socket.getInputStream(), new byte[64 * 1024], 256 * 1024);
        socket.setSoLinger(true, 0); // a reset, as a BMC that gives up sends
      }
      JsonNode cut = awaitOne(server, "/api/downloads?active=false", d -> !d.get("result").asText().equals("in_flight"));
      assertEquals("cut_by_client", cut.get("result").asText());
      assertTrue(cut.get("sent").asLong() < BIG);
    }
  }

  @Test
  void aMissingFileIsRefusedAndFiltersSelect() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("a/one.bin"), 1000, 3);
      Samples.write(server.repo().resolve("b/two.bin"), 2000, 4);
      assertEquals(404, server.get(Scheme.HTTP, "/firmware/nope.bin").statusCode());
      assertEquals(200, server.get(Scheme.HTTP, "/firmware/a/one.bin").statusCode());
      assertEquals(200, server.head(Scheme.HTTPS, "/firmware/b/two.bin").statusCode());
      assertEquals(200, server.get(Scheme.HTTP, "/api/catalog").statusCode()); // not a firmware response
      JsonNode refused = awaitOne(server, "/api/downloads?path=/firmware/nope.bin", d -> true);
      assertEquals("refused", refused.get("result").asText());
      JsonNode one = awaitOne(server, "/api/downloads?path=/firmware/a/", d -> true);
      assertEquals("complete", one.get("result").asText());
      assertEquals(1000, one.get("sent").asLong());
      JsonNode head = awaitOne(server, "/api/downloads?path=/firmware/b/", d -> true);
      assertEquals(0, head.get("length").asLong(), "HEAD sends no body");
      assertEquals(2000, head.get("size").asLong());
      assertEquals(3, list(server, "/api/downloads").size());
      assertEquals(3, list(server, "/api/downloads?client=127.0.0.1&active=false").size());
      assertEquals(0, list(server, "/api/downloads?client=10.9.9.9").size());
      assertEquals(400, server.get(Scheme.HTTP, "/api/downloads?active=maybe").statusCode());
    }
  }

  @Test
  void filtersArePercentDecodedAndPathsAreRecordedByName() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("c d/three.bin"), 3000, 5);
      assertEquals(200, server.get(Scheme.HTTP, "/firmware/c%20d/three.bin").statusCode());
      JsonNode spaced = awaitOne(server, "/api/downloads?path=%2Ffirmware%2Fc%20d%2F", d -> true);
      assertEquals("/firmware/c d/three.bin", spaced.get("path").asText(), "recorded as the file is named");
      assertEquals(3000, spaced.get("sent").asLong());
      assertEquals(1, list(server, "/api/downloads?path=/firmware/c+d/&client=127.0.0.1").size(), "'+' is a space in a query");
      assertEquals(1, list(server, "/api/downloads?client=127%2E0%2E0%2E1").size());
    }
  }

  @Test
  void aDownloadThroughAHandoffSessionCarriesItsId() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = TestServer.start(dir, c -> c.handoff(new HandoffConfig(first, first + 1, false, Duration.ofSeconds(30),
        Duration.ofHours(1))))) {
      Samples.write(server.repo().resolve("ilo.bin"), 100_000, 5);
      JsonNode session = Json.MAPPER.readTree(server.post(Scheme.HTTP, "/api/handoff", "{}").body());
      HttpResponse<byte[]> got = server.client().send(HttpRequest.newBuilder(URI.create(session.get("url").asText() + "firmware/ilo.bin"))
          .header("X-SU-Session", session.get("token").asText()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, got.statusCode());
      JsonNode download = awaitOne(server, "/api/downloads?active=false", d -> true);
      assertEquals(session.get("id").asText(), download.get("session").asText());
      assertEquals(200, server.get(Scheme.HTTP, "/firmware/ilo.bin").statusCode()); // the shared port: no session
      awaitCount(server, "/api/downloads?active=false", 2);
      List<JsonNode> ours = list(server, "/api/downloads?session=" + session.get("id").asText());
      assertEquals(1, ours.size(), "only the session's own download: " + ours);
      assertEquals(session.get("id").asText(), ours.get(0).get("session").asText());
      assertEquals(0, list(server, "/api/downloads?session=0000000000000000").size());
    }
  }

  @Test
  void aSessionsDownloadIsStillListedAfterAFloodOfOtherDownloads() throws Exception {
    int first = Ports.freeRange(2);
    try (TestServer server = TestServer.start(dir, c -> c.handoff(new HandoffConfig(first, first + 1, false, Duration.ofSeconds(30),
        Duration.ofHours(1))))) {
      Samples.write(server.repo().resolve("ilo.bin"), 10_000, 5);
      JsonNode session = Json.MAPPER.readTree(server.post(Scheme.HTTP, "/api/handoff", "{}").body());
      HttpResponse<byte[]> got = server.client().send(HttpRequest.newBuilder(URI.create(session.get("url").asText() + "firmware/ilo.bin"))
          .header("X-SU-Session", session.get("token").asText()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, got.statusCode());
      String ours = "/api/downloads?active=false&session=" + session.get("id").asText();
      awaitCount(server, ours, 1);
      // More downloads without a session than the record keeps: deploy's proof of fetch must outlive them.
      for (int i = 0; i <= DownloadLog.RECENT; i++) assertEquals(200, server.get(Scheme.HTTP, "/firmware/ilo.bin").statusCode());
      await(server, "/api/downloads?active=false", listed -> listed.size() == DownloadLog.RECENT
          && listed.stream().noneMatch(d -> d.hasNonNull("session")), "the general record full of the flood");
      List<JsonNode> still = list(server, ours);
      assertEquals(1, still.size(), "the session's download is still listed: " + still);
      assertEquals(10_000, still.get(0).get("sent").asLong());
    }
  }

  @Test
  void progressArrivesOnTheEventStreamWithoutIds() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("fw.bin"), 300_000, 6);
      try (SseClient events = new SseClient(server.client(), server.uri(Scheme.HTTP, "/api/events"), null)) {
        assertEquals(200, events.status());
        assertEquals(200, server.get(Scheme.HTTP, "/firmware/fw.bin").statusCode());
        SseClient.Event last = null;
        for (SseClient.Event e : events.take(1, 10)) last = e;
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; ) {
          if (last != null && last.data().contains("\"complete\"")) break;
          List<SseClient.Event> more = events.take(1, 1);
          if (!more.isEmpty()) last = more.get(0);
        }
        assertEquals("download", last.event());
        assertNull(last.id(), "download events carry no SSE id");
        JsonNode data = Json.MAPPER.readTree(last.data());
        assertEquals("complete", data.get("result").asText());
        assertEquals(300_000, data.get("sent").asLong());
      }
    }
  }

  private static Socket open(TestServer server, Scheme scheme) throws Exception {
    // a small window keeps the kernel from soaking up the whole file
    return SlowReader.open(server.port(scheme), 32 * 1024, 20_000, scheme == Scheme.HTTPS ? server.sslContext() : null);
  }

  private static void request(Socket socket, String path, String... headers) throws Exception {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String header : headers) request.append(header).append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static long readAtLeast(InputStream in, byte[] buffer, long bytes) throws Exception {
    long read = 0;
    while (read < bytes) {
      int n = in.read(buffer);
      if (n < 0) throw new AssertionError("the response ended after " + read + " bytes");
      read += n;
    }
    return read;
  }

  static List<JsonNode> list(TestServer server, String query) throws Exception {
    HttpResponse<String> response = server.getString(Scheme.HTTP, query);
    assertEquals(200, response.statusCode(), response.body());
    return List.copyOf(toList(Json.MAPPER.readTree(response.body()).get("downloads")));
  }

  private static List<JsonNode> toList(JsonNode array) {
    ArrayList<JsonNode> nodes = new ArrayList<>();
    array.forEach(nodes::add);
    return nodes;
  }

  /** Polls until exactly one listed download matches; the record is updated when the exchange ends, a moment after the client sees it. */
  private static void awaitCount(TestServer server, String query, int count) throws Exception {
    await(server, query, listed -> listed.size() == count, "expected " + count);
  }

  private static JsonNode awaitOne(TestServer server, String query, Predicate<JsonNode> wanted) throws Exception {
    return await(server, query, listed -> listed.size() == 1 && wanted.test(listed.get(0)), "no single match").get(0);
  }

  /** Polls {@code query} until its list satisfies {@code done}, for up to 10 s. */
  private static List<JsonNode> await(TestServer server, String query, Predicate<List<JsonNode>> done, String what) throws Exception {
    List<JsonNode> listed = List.of();
    for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
      listed = list(server, query);
      if (done.test(listed)) return listed;
    }
    throw new AssertionError(what + " in " + query + ": " + listed);
  }

}
