package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store goes away under a running server and comes back: writes answer 503 (not stored)
 * meanwhile, downloads go on, /health says degraded, and the server recovers by itself. (A full
 * disk is DiskFullApiIT's; a data directory remounted read-only cannot be had while SQLite
 * holds its files open for writing, and fails the same way as a full disk when it can.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreOutageIT {
  @TempDir Path dir;

  @Test
  void postgresStoppedAndRestartedMidRunIsRecoveredWithoutARestart() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path pgData = dir.resolve("pg");
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
    String url = postgres.getJdbcUrl("postgres", "postgres") + "&connectTimeout=2&socketTimeout=10";
    try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("server")), c -> c.statusDb(url))) {
      byte[] image = Samples.write(server.repo().resolve("bios.bin"), 200_000, 7);
      List<Long> acknowledged = new ArrayList<>();
      acknowledged.add(post(server, "before", 201));

      postgres.close(); // the database goes down under the running server
      HttpResponse<String> refused = server.post(Scheme.HTTP, "/api/status", body("during"));
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("not stored"), refused.body());
      assertEquals("degraded", health(server).get("status").asText());
      assertEquals(image.length, server.get(Scheme.HTTP, "/firmware/bios.bin").body().length, "downloads go on without the store");

      postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
      acknowledged.add(awaitStored(server, "after"));
      assertEquals("up", health(server).get("status").asText());
      JsonNode history = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/nodes/outage").body()).get("events");
      List<Long> stored = new ArrayList<>();
      history.forEach(e -> stored.add(e.get("id").asLong()));
      assertEquals(acknowledged, stored, "exactly what was acknowledged is stored; the refused post is not");
    } finally {
      postgres.close();
    }
  }

  private static String body(String message) {
    return "{\"node\":\"outage\",\"phase\":\"info\",\"message\":\"" + message + "\"}";
  }

  private static long post(TestServer server, String message, int expected) throws Exception {
    HttpResponse<String> r = server.post(Scheme.HTTP, "/api/status", body(message));
    assertEquals(expected, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body()).get("id").asLong();
  }

  /** Posts until the store takes it (it recovers on its own, at the next batch after the cause is gone). */
  private static long awaitStored(TestServer server, String message) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> r = server.post(Scheme.HTTP, "/api/status", body(message));
      if (r.statusCode() == 201) return Json.MAPPER.readTree(r.body()).get("id").asLong();
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(System.nanoTime() < deadline, "the store did not recover within 30 s: " + r.body());
      Thread.sleep(200);
    }
  }

  private static JsonNode health(TestServer server) throws Exception {
    return Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
  }
}
