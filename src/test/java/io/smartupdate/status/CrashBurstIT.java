package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.LaunchedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12: SIGKILL in the middle of a burst of status posts from 32 concurrent clients, after
 * 5,000 acknowledgements. Every post answered 201 (with its id) must be stored after a restart on
 * the same data directory, with the same id and content; posts the kill interrupted may or may not
 * be. The clients keep posting until the server is gone (POSTS is only a cap no run reaches), so
 * the kill always lands mid-burst however fast or slow the machine is.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class CrashBurstIT {
  private static final int CLIENTS = 32;
  private static final int POSTS = 1_000_000; // a cap, not a target: the kill comes first
  private static final int KILL_AFTER = 5_000;
  @TempDir Path dir;
  private final List<LaunchedServer> launched = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (LaunchedServer server : launched) server.close();
  }

  private LaunchedServer launch() throws IOException, InterruptedException {
    LaunchedServer server = LaunchedServer.start(dir);
    launched.add(server);
    return server;
  }

  @Test
  @Timeout(300) // start 60 s + 5,000 acks 90 s + read-back 60 s at most, with room for a loaded CI box
  void killNineDuringABurstOfTenThousandPostsLosesNoAcknowledgedEvent() throws Exception {
    long start = System.nanoTime();
    LaunchedServer server = launch();
    int port = server.httpPort();
    String token = server.token();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    Map<Integer, JsonNode> acknowledged = new ConcurrentHashMap<>(); // post number -> the 201's body
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch halfway = new CountDownLatch(KILL_AFTER);
    URI status = URI.create("http://127.0.0.1:" + port + "/api/status");
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long killedAt;
    long burstStart = System.nanoTime();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        clients.execute(() -> {
          for (int i; (i = next.getAndIncrement()) < POSTS; ) {
            String body = "{\"node\":\"n-" + i + "\",\"phase\":\"info\",\"message\":\"" + i + "\"}";
            HttpResponse<String> response;
            try {
              response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) { // refused or reset: the server is gone, this client stops
              failed.incrementAndGet();
              return;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            if (response.statusCode() != 201) {
              unexpected.add("post " + i + ": " + response.statusCode() + " " + response.body());
              return;
            }
            try {
              acknowledged.put(i, Json.MAPPER.readTree(response.body()));
            } catch (IOException e) {
              unexpected.add("post " + i + ": unreadable 201 body " + response.body());
              return;
            }
            halfway.countDown();
          }
        });
      }
      assertTrue(halfway.await(90, TimeUnit.SECONDS), () -> "only " + acknowledged.size() + " acknowledgements in 90 s; "
          + unexpected.size() + " unexpected answers, first: " + unexpected.peek());
      server.process().destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no last commit
      killedAt = System.nanoTime();
      assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "killed within 10 s");
      assertEquals(137, server.process().exitValue(), "exit status of a SIGKILLed process");
      clients.shutdown();
      assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "every client stopped once the server was gone");
    } finally {
      clients.shutdownNow();
    }
    assertTrue(unexpected.isEmpty(), () -> unexpected.size() + " answers other than 201 before the kill, first: " + unexpected.peek());
    Map<Integer, JsonNode> acked = Map.copyOf(acknowledged);
    assertTrue(next.get() < POSTS, "the clients were still posting when the kill came: " + next.get());
    assertTrue(acked.size() >= KILL_AFTER, "killed mid-burst: " + acked.size() + " acknowledged");
    Set<Long> ids = new HashSet<>();
    for (Map.Entry<Integer, JsonNode> ack : acked.entrySet()) {
      JsonNode event = ack.getValue();
      assertEquals("n-" + ack.getKey(), event.path("node").asText(), "the 201 names the node posted");
      assertEquals(String.valueOf(ack.getKey()), event.path("message").asText(), "the 201 carries the message posted");
      assertTrue(event.path("id").asLong() > 0 && ids.add(event.path("id").asLong()), "a fresh positive id: " + event);
    }
    long burstMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - burstStart);

    try (LaunchedServer restarted = launch()) {
      int newPort = restarted.httpPort();
      long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      // Each acknowledged post is its node's whole history: read them all back, 8 at a time.
      ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
      AtomicInteger found = new AtomicInteger();
      List<Map.Entry<Integer, JsonNode>> work = List.copyOf(acked.entrySet());
      AtomicInteger cursor = new AtomicInteger();
      ExecutorService readers = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
          done.add(readers.submit(() -> {
            for (int k; (k = cursor.getAndIncrement()) < work.size(); ) {
              Map.Entry<Integer, JsonNode> ack = work.get(k);
              HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + newPort + "/api/nodes/n-"
                  + ack.getKey())).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
              if (page.statusCode() != 200) {
                missing.add("n-" + ack.getKey() + ": " + page.statusCode() + " " + page.body());
                continue;
              }
              JsonNode events = Json.MAPPER.readTree(page.body()).get("events");
              if (events.size() == 1 && ack.getValue().equals(events.get(0))) {
                found.incrementAndGet();
              } else {
                missing.add("n-" + ack.getKey() + ": acknowledged " + ack.getValue() + ", stored " + events);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
      } finally {
        readers.shutdownNow();
      }
      // Every node has one event, so the overview counts every stored event, acknowledged or not.
      HttpResponse<String> overview = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + newPort + "/api/nodes"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, overview.statusCode(), overview.body());
      int stored = Json.MAPPER.readTree(overview.body()).get("count").asInt();
      System.out.printf(Locale.ROOT, "crash burst: %d acknowledged, %d stored, %d missing (%d sent before the kill, %d clients cut by it; "
              + "burst %d ms to the kill, restart %d ms, whole test %d s)%n",
          acked.size(), stored, missing.size(), next.get(), failed.get(), burstMillis, recoveredMillis,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
      assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged events missing or changed after the crash, first: "
          + missing.peek());
      assertEquals(acked.size(), found.get());
      assertTrue(stored >= acked.size(), "stored " + stored + " < acknowledged " + acked.size());
      assertTrue(stored <= next.get(), "stored " + stored + " events but only " + next.get() + " were posted");
    }
  }
}
