package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.core.StartupException;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** Several servers on one real PostgreSQL: one schema, each other's events live, ids in commit order. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresStatusIT {
  static EmbeddedPostgres postgres;
  static String url;
  @TempDir static Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
    url = postgres.getJdbcUrl("postgres", "postgres");
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static TestServer server(String name) throws IOException {
    return TestServer.start(Files.createDirectories(dir.resolve(name)), c -> c.statusDb(url).insecureWrites(false));
  }

  @Test
  void twoServersSeeEachOthersEventsLiveAndInOneOrder() throws Exception {
    try (TestServer a = server("a"); TestServer b = server("b");
         SseClient onA = new SseClient(a.client(), a.uri(Scheme.HTTP, "/api/events"), null);
         SseClient onB = new SseClient(b.client(), b.uri(Scheme.HTTPS, "/api/events"), null)) {
      HttpResponse<String> posted = a.post(Scheme.HTTP, "/api/status", "{\"node\":\"pg-node-1\",\"phase\":\"verifying\"}");
      assertEquals(201, posted.statusCode(), posted.body());
      List<SseClient.Event> seenOnB = onB.take(1, 10);
      assertEquals(1, seenOnB.size(), "the event posted to A streams from B");
      assertEquals(Json.MAPPER.readTree(posted.body()), Json.MAPPER.readTree(seenOnB.get(0).data()));

      // Concurrent posts to both servers: each stream sees every event once, ids strictly increasing.
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        TestServer target = i % 2 == 0 ? a : b;
        String body = "{\"node\":\"pg-node-" + (i % 7) + "\",\"phase\":\"flashing\",\"progress\":" + (i % 101) + "}";
        results.add(pool.submit(() -> target.post(Scheme.HTTP, "/api/status", body)));
      }
      for (Future<HttpResponse<String>> r : results) assertEquals(201, r.get().statusCode());
      pool.shutdown();
      for (SseClient stream : List.of(onA, onB)) {
        List<SseClient.Event> events = stream.take(stream == onA ? 201 : 200, 20);
        assertEquals(stream == onA ? 201 : 200, events.size());
        for (int i = 1; i < events.size(); i++) {
          assertEquals(Long.parseLong(events.get(i - 1).id()) + 1, Long.parseLong(events.get(i).id()), "gap-free ids");
        }
      }
      JsonNode overview = Json.MAPPER.readTree(b.getString(Scheme.HTTP, "/api/nodes").body());
      assertTrue(overview.get("count").asInt() >= 7);
    }
  }

  @Test
  void migrationsRunOnceForEveryServer() throws Exception {
    try (TestServer a = server("m1"); TestServer b = server("m2")) {
      assertEquals(201, a.post(Scheme.HTTP, "/api/status", "{\"node\":\"m\",\"phase\":\"info\"}").statusCode());
      assertEquals(200, b.getString(Scheme.HTTP, "/api/nodes/m").statusCode());
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
      rs.next();
      int versions = Dialect.POSTGRES.migrations().size();
      assertEquals(versions, rs.getInt(1), "each version applied once");
      assertEquals(versions, rs.getInt(2));
    }
  }

  @Test
  void unreachableDatabaseStopsTheStartWithARedactedUrl() throws IOException {
    Path d = Files.createDirectories(dir.resolve("bad"));
    StartupException e = assertThrows(StartupException.class, () -> TestServer.start(d,
        c -> c.statusDb("jdbc:postgresql://127.0.0.1:1/su?user=su&password=hunter2&connectTimeout=2")));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "password must not be printed: " + e.getMessage());
  }

  @Test
  void unsupportedUrlSaysWhatIsSupported() throws IOException {
    Path d = Files.createDirectories(dir.resolve("unsupported"));
    StartupException e = assertThrows(StartupException.class, () -> TestServer.start(d, c -> c.statusDb("mysql://x/y")));
    assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
  }
}
