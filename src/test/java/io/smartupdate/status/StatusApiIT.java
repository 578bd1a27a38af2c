package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.http.Json;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** Status intake against the default SQLite store, over HTTP and HTTPS. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusApiIT {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return server.client().send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void acceptedEventIsReturnedWithIdReceiptTimeAndSender(Scheme scheme) throws Exception {
    HttpResponse<String> r = server.post(scheme, "/api/status",
        "{\"node\":\"ilo-10.0.0.5\",\"phase\":\"downloading\",\"progress\":42,\"component\":\"ilo5_281.bin\",\"at\":\"2026-11-21T10:00:00Z\"}");
    assertEquals(201, r.statusCode(), r.body());
    JsonNode event = json(r);
    assertTrue(event.get("id").asLong() > 0);
    assertEquals("downloading", event.get("phase").asText());
    assertEquals(42, event.get("progress").asInt());
    assertEquals("127.0.0.1", event.get("source").asText());
    assertTrue(Instant.parse(event.get("receivedAt").asText()).isAfter(Instant.now().minusSeconds(60)));
    JsonNode history = json(server.getString(scheme, "/api/nodes/ilo-10.0.0.5"));
    JsonNode last = history.get("events").get(history.get("events").size() - 1);
    assertEquals(event, last, "what was acknowledged is what is stored");
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void writesWithoutCredentialsAre401WithHowTo(Scheme scheme) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri(scheme, "/api/status")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"a\",\"phase\":\"info\"}")));
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
    assertTrue(json(r).get("detail").asText().contains("Authorization: Bearer"));
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(server.uri(scheme, "/redfish/events"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer wrong")
        .POST(HttpRequest.BodyPublishers.ofString("{\"Events\":[{\"MessageId\":\"a\"}]}")));
    assertEquals(401, wrong.statusCode());
  }

  @Test
  void aWriteWithoutCredentialsIsRefusedBeforeItsBodyIsSent() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port(Scheme.HTTP))) {
      socket.setSoTimeout(10_000); // the body never comes: only a refusal without it answers in time
      socket.getOutputStream().write(("POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 60000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      int n = socket.getInputStream().readNBytes(head, 0, head.length);
      assertEquals("HTTP/1.1 401", new String(head, 0, n, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void hmacSignedPostIsAcceptedOnceThenRefusedAsReplay() throws Exception {
    String body = "{\"node\":\"esx-01\",\"phase\":\"flashing\",\"progress\":10}";
    String date = Long.toString(Instant.now().getEpochSecond());
    String nonce = UUID.randomUUID().toString();
    String signature = HexFormat.of().formatHex(WriteAuth.sign(server.token().getBytes(StandardCharsets.UTF_8), "POST",
        "/api/status", date, nonce, body.getBytes(StandardCharsets.UTF_8)));
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/status")).header("Content-Type", "application/json")
        .header("X-SU-Date", date).header("X-SU-Nonce", nonce).header("X-SU-Signature", "hmac-sha256=" + signature)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    assertEquals(201, send(request).statusCode());
    HttpResponse<String> replay = send(request);
    assertEquals(401, replay.statusCode());
    assertTrue(json(replay).get("detail").asText().contains("replayed"));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void badBodiesAreRefusedWithTheRightStatus(Scheme scheme) throws Exception {
    HttpResponse<String> phase = server.post(scheme, "/api/status", "{\"node\":\"a\",\"phase\":\"dancing\"}");
    assertEquals(400, phase.statusCode());
    assertTrue(json(phase).get("detail").asText().contains("downloading"));
    HttpResponse<String> big = server.post(scheme, "/api/status", "{\"node\":\"a\",\"phase\":\"info\",\"message\":\"" + "x".repeat(70_000) + "\"}");
    assertEquals(413, big.statusCode());
    HttpResponse<String> form = send(HttpRequest.newBuilder(server.uri(scheme, "/api/status"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Bearer " + server.token())
        .POST(HttpRequest.BodyPublishers.ofString("node=a")));
    assertEquals(415, form.statusCode());
    assertEquals(200, server.getString(scheme, "/health").statusCode(), "the server keeps answering");
  }

  @Test
  void nodesOverviewShowsTheLatestEventPerNodeAndPhaseCounts() throws Exception {
    server.post(Scheme.HTTP, "/api/status", "{\"node\":\"ov-1\",\"phase\":\"downloading\"}");
    server.post(Scheme.HTTP, "/api/status", "{\"node\":\"ov-1\",\"phase\":\"complete\"}");
    server.post(Scheme.HTTP, "/api/status", "{\"node\":\"ov-2\",\"phase\":\"failed\",\"message\":\"checksum\"}");
    HttpResponse<String> response = server.getString(Scheme.HTTP, "/api/nodes");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode overview = json(response);
    JsonNode ov1 = null;
    for (JsonNode node : overview.get("nodes")) if (node.get("node").asText().equals("ov-1")) ov1 = node;
    assertEquals("complete", ov1.get("phase").asText());
    // The server is shared with the other tests of this class: the counts are checked against the
    // nodes listed, exactly, phase by phase (zeros included), rather than against what this test posted.
    Map<String, Integer> counted = new TreeMap<>();
    overview.get("phases").fieldNames().forEachRemaining(phase -> counted.put(phase, 0));
    for (JsonNode node : overview.get("nodes")) counted.merge(node.get("phase").asText(), 1, Integer::sum);
    Map<String, Integer> reported = new TreeMap<>();
    overview.get("phases").fields().forEachRemaining(e -> reported.put(e.getKey(), e.getValue().asInt()));
    assertEquals(counted, reported, "phase counts: the latest phase of each node listed");
    assertTrue(reported.get("complete") >= 1 && reported.get("failed") >= 1, "ov-1 complete and ov-2 failed are counted: " + reported);
    assertEquals(overview.get("nodes").size(), overview.get("count").asInt());
  }

  @Test
  void historyPagesWithAfterAndLimit() throws Exception {
    for (int i = 0; i < 5; i++) server.post(Scheme.HTTP, "/api/status", "{\"node\":\"page-1\",\"phase\":\"flashing\",\"progress\":" + i * 20 + "}");
    JsonNode first = json(server.getString(Scheme.HTTP, "/api/nodes/page-1?limit=3"));
    assertEquals(3, first.get("events").size());
    long next = first.get("next").asLong();
    JsonNode rest = json(server.getString(Scheme.HTTP, "/api/nodes/page-1?after=" + next + "&limit=3"));
    assertEquals(2, rest.get("events").size());
    assertEquals(80, rest.get("events").get(1).get("progress").asInt());
    assertTrue(rest.get("next").isNull());
    assertEquals(404, server.getString(Scheme.HTTP, "/api/nodes/nobody").statusCode());
    assertEquals(400, server.getString(Scheme.HTTP, "/api/nodes/page-1?limit=0").statusCode());
    assertEquals(400, server.getString(Scheme.HTTP, "/api/nodes/page-1?limit=1001").statusCode());
    assertEquals(400, server.getString(Scheme.HTTP, "/api/nodes/page-1?after=-1").statusCode());
    assertEquals(1, json(server.getString(Scheme.HTTP, "/api/nodes/page-1?limit=1")).get("events").size(), "1 is the smallest page");
    assertEquals(5, json(server.getString(Scheme.HTTP, "/api/nodes/page-1?limit=1000")).get("events").size(), "1000 the largest");
    assertEquals(400, server.getString(Scheme.HTTP, "/api/nodes/bad%20name").statusCode());
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void eventStreamResumesFromLastEventIdWithoutGapsOrDuplicates(Scheme scheme) throws Exception {
    String node = "sse-" + scheme.name().toLowerCase();
    long firstId = json(server.post(scheme, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"inventory\"}")).get("id").asLong();
    try (SseClient live = new SseClient(server.client(), server.uri(scheme, "/api/events"), null)) {
      assertEquals(200, live.status());
      for (int i = 1; i <= 3; i++) server.post(scheme, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"downloading\",\"progress\":" + i + "}");
      List<SseClient.Event> seen = live.take(3, 10);
      assertEquals(3, seen.size());
      assertEquals("status", seen.get(0).event());
      assertEquals(firstId + 1, Long.parseLong(seen.get(0).id()), "a new stream starts with new events");
    }
    // Reconnect as a browser would, after the first event: everything after it, in order, exactly once.
    for (int i = 4; i <= 6; i++) server.post(scheme, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"downloading\",\"progress\":" + i + "}");
    try (SseClient resumed = new SseClient(server.client(), server.uri(scheme, "/api/events"), Long.toString(firstId))) {
      List<SseClient.Event> replay = resumed.take(6, 10);
      List<Integer> progress = replay.stream().map(e -> {
        try {
          return Json.MAPPER.readTree(e.data()).get("progress").asInt();
        } catch (Exception x) {
          throw new AssertionError(x);
        }
      }).toList();
      assertEquals(List.of(1, 2, 3, 4, 5, 6), progress);
      for (int i = 0; i < replay.size(); i++) assertEquals(firstId + 1 + i, Long.parseLong(replay.get(i).id()));
      // A positive marker, not a fixed wait: the stream is ordered, so a duplicate sent after the
      // replay would arrive before the marker posted now.
      long marker = json(server.post(scheme, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"downloading\",\"progress\":7}"))
          .get("id").asLong();
      List<SseClient.Event> next = resumed.take(1, 10);
      assertEquals(1, next.size(), "the marker event arrived");
      assertEquals(marker, Long.parseLong(next.get(0).id()), "no duplicates between the replay and the marker: " + next);
      assertEquals(firstId + 7, marker);
    }
  }

  @Test
  void eventStreamAfterQueryReplaysFromThatIdThenStreamsLive() throws Exception {
    String node = "sse-after";
    long[] ids = new long[4];
    for (int i = 0; i < 4; i++) {
      ids[i] = json(server.post(Scheme.HTTP, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"downloading\",\"progress\":" + (10 + i) + "}"))
          .get("id").asLong();
    }
    try (SseClient stream = new SseClient(server.client(), server.uri(Scheme.HTTP, "/api/events?after=" + ids[1]), null)) {
      assertEquals(200, stream.status());
      List<SseClient.Event> replay = stream.take(2, 10);
      assertEquals(List.of(Long.toString(ids[2]), Long.toString(ids[3])), replay.stream().map(SseClient.Event::id).toList(),
          "?after= replays exactly the events after that id");
      long live = json(server.post(Scheme.HTTP, "/api/status", "{\"node\":\"" + node + "\",\"phase\":\"verifying\"}")).get("id").asLong();
      List<SseClient.Event> next = stream.take(1, 10);
      assertEquals(List.of(Long.toString(live)), next.stream().map(SseClient.Event::id).toList(), "then live events, nothing repeated");
    }
  }

  @Test
  void redfishEventsBecomeStatusEvents() throws Exception {
    HttpResponse<String> r = server.post(Scheme.HTTPS, "/redfish/events", """
        {"Context":"idrac-r740-07","Events":[{"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["JID_1","55"],
         "Message":"The task with Id 'JID_1' has changed to progress 55 percent.","EventTimestamp":"2026-11-21T10:00:00Z"}]}""");
    assertEquals(201, r.statusCode(), r.body());
    JsonNode event = json(r).get("events").get(0);
    assertEquals("idrac-r740-07", event.get("node").asText());
    assertEquals("flashing", event.get("phase").asText());
    assertEquals(55, event.get("progress").asInt());
    assertEquals(400, server.post(Scheme.HTTPS, "/redfish/events", "{\"Events\":[]}").statusCode());
  }

  @Test
  void tokenFileIsPrivate() throws Exception {
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/token"))));
    assertFalse(server.token().isBlank());
  }
}
