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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL mid-stream loses nothing that was acknowledged: every 201 is on disk after a restart. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashDurabilityIT {
  private static final int CLIENTS = 16;
  private static final int PER_CLIENT = 250; // 4,000 posts offered; the kill comes after 2,000 acknowledgements
  private static final int KILL_AFTER = 2000;
  @TempDir Path dir;

  @Test
  void everyAcknowledgedEventSurvivesSigkill() throws Exception {
    LaunchedServer server = LaunchedServer.start(dir);
    int port = server.httpPort();
    String token = server.token();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    ConcurrentLinkedQueue<JsonNode> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicInteger acks = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      String node = "crash-" + c;
      clients.execute(() -> {
        for (int i = 0; i < PER_CLIENT; i++) {
          String body = "{\"node\":\"" + node + "\",\"phase\":\"flashing\",\"progress\":" + (i % 101) + ",\"message\":\"seq-" + i + "\"}";
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
              acknowledged.add(Json.MAPPER.readTree(r.body()));
              if (acks.incrementAndGet() >= KILL_AFTER) enough.countDown();
            }
          } catch (IOException e) {
            return; // the server is gone
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
    }
    assertTrue(enough.await(120, TimeUnit.SECONDS), "only " + acks.get() + " acknowledgements");
    server.close(); // SIGKILL: no shutdown hook, no flush
    assertTrue(server.process().waitFor(10, TimeUnit.SECONDS));
    clients.shutdown();
    assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
    List<JsonNode> acked = List.copyOf(acknowledged);
    assertTrue(acked.size() >= KILL_AFTER && acked.size() < CLIENTS * PER_CLIENT, "killed mid-stream: " + acked.size() + " acks");

    try (LaunchedServer restarted = LaunchedServer.start(dir)) {
      int newPort = restarted.httpPort();
      Map<Long, JsonNode> stored = new HashMap<>();
      for (int c = 0; c < CLIENTS; c++) {
        long after = 0;
        while (true) {
          HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + newPort + "/api/nodes/crash-" + c
              + "?limit=1000&after=" + after)).build(), HttpResponse.BodyHandlers.ofString());
          if (page.statusCode() == 404) break;
          JsonNode events = Json.MAPPER.readTree(page.body()).get("events");
          for (JsonNode event : events) stored.put(event.get("id").asLong(), event);
          if (events.size() < 1000) break;
          after = events.get(events.size() - 1).get("id").asLong();
        }
      }
      int missing = 0;
      for (JsonNode ack : acked) {
        JsonNode found = stored.get(ack.get("id").asLong());
        if (!ack.equals(found)) missing++;
      }
      System.out.printf("crash test: %d acknowledged, %d stored, %d acknowledged but missing%n", acked.size(), stored.size(), missing);
      assertEquals(0, missing, "acknowledged events missing or changed after the crash");
      assertTrue(stored.size() >= acked.size());
    }
  }
}
