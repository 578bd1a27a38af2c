package io.smartupdate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Postgres;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server killed mid-download: the others stop listing that download as in flight once its heartbeat stops. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeadServerDownloadsIT {
  private static final String PATH = "/firmware/big.bin";

  @TempDir Path dir;

  @Test
  void aKilledServersDownloadInFlightIsListedAsInterruptedByTheOthers() throws Exception {
    try (Postgres postgres = Postgres.start(dir.resolve("pg"));
         TestServer a = TestServer.start(Files.createDirectories(dir.resolve("a")), c -> c.statusDb(postgres.url()))) {
      Path home = Files.createDirectories(dir.resolve("b"));
      Samples.write(Files.createDirectories(home.resolve("repo")).resolve("big.bin"), 48 << 20, 9);
      try (LaunchedServer b = LaunchedServer.start(home, "/status_db", postgres.url())) {
        HttpResponse<InputStream> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + b.httpPort() + PATH)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        download.body().readNBytes(1 << 20); // then reads no more: the download stays in flight

        JsonNode inFlight = await(a, "/api/downloads?active=true&path=" + PATH, d -> d.get("result").asText().equals("in_flight"),
            "A lists B's download in flight");
        String id = inFlight.get("id").asText();
        assertTrue(id.endsWith("@" + inFlight.get("server").asText()), id);

        b.close(); // SIGKILL: no last record, no goodbye
        JsonNode interrupted = await(a, "/api/downloads?path=" + PATH, d -> d.get("id").asText().equals(id)
            && d.get("result").asText().equals("interrupted"), "A lists B's download as interrupted once B is silent");
        assertTrue(interrupted.hasNonNull("ended"), interrupted.toString());
        assertEquals(0, downloads(a, "/api/downloads?active=true&path=" + PATH).size(), "nothing of B's is in flight any more");
        download.body().close();
      }
    }
  }

  private static JsonNode downloads(TestServer server, String query) throws IOException, InterruptedException {
    return Json.MAPPER.readTree(server.getString(Scheme.HTTP, query).body()).get("downloads");
  }

  /** Polls {@code query} on {@code server} for up to 30 s until a download matches. */
  private static JsonNode await(TestServer server, String query, Predicate<JsonNode> wanted, String what) throws Exception {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; Thread.sleep(100)) {
      for (JsonNode d : downloads(server, query)) {
        if (wanted.test(d)) return d;
      }
    }
    throw new AssertionError(what + ": not within 30 s; " + downloads(server, query));
  }
}
