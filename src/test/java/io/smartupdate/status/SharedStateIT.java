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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two servers on one PostgreSQL are one service: one write token (rotated without a gap), one record of downloads, one owner per deploy run. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedStateIT {
  static Postgres postgres;
  static String url;
  @TempDir static Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = Postgres.start(dir.resolve("pg"));
    url = postgres.url();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private static TestServer server(String name) throws IOException {
    return TestServer.start(Files.createDirectories(dir.resolve(name)), c -> c.statusDb(url).insecureWrites(false));
  }

  @Test
  void oneTokenForBothServersAndTheOldOneLivesThroughItsGrace() throws Exception {
    try (TestServer a = server("ta"); TestServer b = server("tb")) {
      String first = a.token();
      assertEquals(first, b.token(), "B's data/token holds the token A seeded the store with");
      assertEquals(201, post(b, first).statusCode(), "A's token writes to B");

      TokenSet rotated;
      try (Tokens tokens = SharedState.tokens(url, dir.resolve("operator"), Clock.systemUTC())) {
        rotated = tokens.rotate(Duration.ofSeconds(4));
      }
      assertEquals(first, rotated.previous());
      assertNotEquals(first, rotated.current());
      for (TestServer server : new TestServer[] {a, b}) {
        await(() -> status(server, rotated.current()) == 201, "the new token is accepted by " + server.dir().getFileName());
        assertEquals(201, status(server, first), "the old token is still accepted during the grace");
        await(() -> rotated.current().equals(token(server)), "data/token of " + server.dir().getFileName() + " holds the new token");
      }
      await(() -> status(a, first) == 401 && status(b, first) == 401, "the old token is refused once its grace ended");
      assertEquals(201, status(b, rotated.current()));
    }
  }

  @Test
  void aDownloadFromOneServerIsListedAndStreamedByTheOther() throws Exception {
    try (TestServer a = server("da"); TestServer b = server("db");
         SseClient onA = new SseClient(a.client(), a.uri(Scheme.HTTP, "/api/events"), null)) {
      byte[] image = Samples.write(b.repo().resolve("shared.bin"), 300_000, 7);
      HttpResponse<byte[]> fetched = b.get(Scheme.HTTPS, "/firmware/shared.bin");
      assertEquals(200, fetched.statusCode());

      JsonNode[] found = new JsonNode[1];
      await(() -> {
        for (JsonNode d : downloads(a, "/api/downloads?path=/firmware/shared.bin")) {
          if (d.get("result").asText().equals("complete")) found[0] = d;
        }
        return found[0] != null;
      }, "A lists the download B served");
      JsonNode d = found[0];
      assertEquals(image.length, d.get("sent").asLong());
      assertEquals(image.length, d.get("size").asLong());
      assertEquals("https", d.get("scheme").asText());
      assertEquals("127.0.0.1", d.get("client").asText());
      assertTrue(d.get("id").asText().matches("d-\\d+@.+"), d.toString());
      String servedBy = d.get("server").asText();
      assertEquals(0, downloads(a, "/api/downloads?path=/firmware/shared.bin&active=true").size());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean streamed = false;
      while (!streamed && System.nanoTime() < deadline) {
        for (SseClient.Event e : onA.take(1, 1)) {
          if (!e.event().equals("download")) continue;
          JsonNode data = Json.MAPPER.readTree(e.data());
          streamed = data.get("path").asText().equals("/firmware/shared.bin") && data.get("result").asText().equals("complete")
              && data.get("server").asText().equals(servedBy);
        }
      }
      assertTrue(streamed, "A's /api/events carries B's download");
      JsonNode onB = downloads(b, "/api/downloads?path=/firmware/shared.bin").get(0);
      assertEquals(servedBy, onB.get("server").asText(), "B lists it as its own");
      assertTrue(onB.get("id").asText().matches("d-\\d+"), "under its own id");
    }
  }

  private static HttpResponse<String> post(TestServer server, String token) throws IOException, InterruptedException {
    return server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/status")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"shared-node\",\"phase\":\"info\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int status(TestServer server, String token) {
    try {
      return post(server, token).statusCode();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static String token(TestServer server) {
    try {
      return server.token();
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode downloads(TestServer server, String query) {
    try {
      return Json.MAPPER.readTree(server.getString(Scheme.HTTP, query).body()).get("downloads");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Polls {@code done} until it holds, for up to 10 s. */
  @Test
  void aRunOwnedThroughOneServerIsHeldAgainstTheOtherUntilItsLeaseEnds() throws Exception {
    try (TestServer a = server("ra"); TestServer b = server("rb")) {
      String plan = "{\"owner\":\"mgmt-a:41:aa\",\"leaseSeconds\":2,\"image\":\"x.bin\",\"steps\":[{\"node\":\"n1\",\"step\":0,"
          + "\"bmc\":\"10.0.0.5\",\"file\":\"x.bin\"}]}";
      String id = Json.MAPPER.readTree(a.post(Scheme.HTTP, "/api/deploys", plan).body()).path("id").asText();
      HttpResponse<String> refused = b.post(Scheme.HTTP, "/api/deploys/" + id + "/takeover", "{\"owner\":\"mgmt-b:7:bb\"}");
      assertEquals(409, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("is driven by mgmt-a:41:aa until"), refused.body());
      await(() -> runOn(b, id).path("state").asText().equals("orphaned"), "B shows the run orphaned once A's owner stopped renewing");
      HttpResponse<String> taken = b.post(Scheme.HTTP, "/api/deploys/" + id + "/takeover", "{\"owner\":\"mgmt-b:7:bb\",\"leaseSeconds\":60}");
      assertEquals(200, taken.statusCode(), taken.body());
      assertEquals("running", runOn(a, id).path("state").asText(), "A sees the new owner's live lease");
      assertEquals("mgmt-b:7:bb", runOn(a, id).path("owner").asText());
      HttpResponse<String> lost = a.put(Scheme.HTTP, "/api/deploys/" + id + "/lease", "{\"owner\":\"mgmt-a:41:aa\"}");
      assertEquals(409, lost.statusCode(), "the old owner's renewal through A finds it lost the run: " + lost.body());
    }
  }

  private static JsonNode runOn(TestServer server, String id) {
    try {
      return Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/deploys/" + id).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; Thread.sleep(50)) {
      if (done.getAsBoolean()) return;
    }
    throw new AssertionError(what + ": not within 10 s");
  }
}
