package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.auth.TokenSet;
import io.smartupdate.auth.Tokens;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Postgres;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL restarted under two running servers: each recovers by itself, and nothing served meanwhile is lost. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresRestartIT {
  @TempDir Path dir;

  @Test
  void bothServersRecoverByThemselvesAndKeepWhatTheyServedDuringTheOutage() throws Exception {
    try (Postgres postgres = Postgres.startRestartable(dir.resolve("pg"))) {
      String url = postgres.url();
      try (TestServer a = server("a", url); TestServer b = server("b", url);
           SseClient onB = new SseClient(b.client(), b.uri(Scheme.HTTP, "/api/events"), null)) {
        String token = a.token();
        assertEquals(201, post(a, token, "before-restart"));
        byte[] image = Samples.write(a.repo().resolve("outage.bin"), 200_000, 3);

        postgres.restart(() -> {
          try {
            HttpResponse<byte[]> served = a.get(Scheme.HTTP, "/firmware/outage.bin");
            assertEquals(200, served.statusCode(), "serving never waits on the database");
            assertEquals(image.length, served.body().length);
            await(() -> unshared(a) == 1, "A keeps the record of that download while it cannot store it");
            HttpResponse<String> refused = postResponse(a, token, "during-outage");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("store_unavailable"), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals("degraded", health(a).get("status").asText());
          } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
          }
        });

        await(() -> post(a, token, "after-restart-a") == 201, "A stores status events again");
        await(() -> post(b, token, "after-restart-b") == 201, "B stores status events again");
        await(() -> streamed(onB, "after-restart-a"), "an event posted on A after the restart streams on B (LISTEN resumed)");
        await(() -> listsCompleted(b, "/firmware/outage.bin"), "B lists the download A served while PostgreSQL was down");
        assertEquals(0, unshared(a));
        assertEquals("up", health(a).get("status").asText());

        TokenSet rotated;
        try (Tokens tokens = SharedState.tokens(url, dir.resolve("operator"), Clock.systemUTC())) {
          rotated = tokens.rotate(Duration.ofSeconds(60));
        }
        assertNotEquals(token, rotated.current());
        for (TestServer server : new TestServer[] {a, b}) {
          await(() -> post(server, rotated.current(), "rotated") == 201, "the token rotated after the restart is read by "
              + server.dir().getFileName());
          assertEquals(201, post(server, token, "old-token"), "the old token still works within its grace");
        }
      }
    }
  }

  private TestServer server(String name, String url) throws IOException {
    return TestServer.start(Files.createDirectories(dir.resolve(name)), c -> c.statusDb(url).insecureWrites(false));
  }

  private static HttpResponse<String> postResponse(TestServer server, String token, String node) throws IOException, InterruptedException {
    return server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/status")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\",\"phase\":\"info\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int post(TestServer server, String token, String node) {
    try {
      return postResponse(server, token, node).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode health(TestServer server) throws IOException, InterruptedException {
    return Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
  }

  /** The smartupdate_downloads_unshared gauge of {@code server}'s /metrics. */
  private static int unshared(TestServer server) {
    try {
      return server.getString(Scheme.HTTP, "/metrics").body().lines().filter(l -> l.startsWith("smartupdate_downloads_unshared "))
          .mapToInt(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean streamed(SseClient events, String node) {
    try {
      for (SseClient.Event e : events.take(1, 1)) {
        if ("status".equals(e.event()) && Json.MAPPER.readTree(e.data()).path("node").asText().equals(node)) return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean listsCompleted(TestServer server, String path) {
    try {
      JsonNode downloads = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/downloads?path=" + path).body()).get("downloads");
      for (JsonNode d : downloads) {
        if (d.get("result").asText().equals("complete") && d.has("server")) return true;
      }
      return false;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Polls {@code done} until it holds, for up to 30 s (a reconnect backs off). */
  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; Thread.sleep(100)) {
      if (done.getAsBoolean()) return;
    }
    throw new AssertionError(what + ": not within 30 s");
  }
}
