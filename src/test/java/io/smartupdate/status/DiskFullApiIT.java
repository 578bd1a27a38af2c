package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import java.util.concurrent.TimeUnit;

/** Through the real server: 503 while the disk is full means not stored; after space is freed, 201s and the live stream carry on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullApiIT {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void postsRecoverAfterDiskFullAndStreamExactlyTheAcknowledgedEvents() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("data"), "2m"); TestServer server = TestServer.start(dir);
         SseClient live = new SseClient(server.client(), server.uri(Scheme.HTTP, "/api/events"), null)) {
      List<Long> acknowledged = new ArrayList<>();
      for (int i = 0; i < 3; i++) acknowledged.add(post(server, "before-" + i, 201));

      Path filler = fs.fill();
      int refused = 0;
      for (int i = 0; i < 200 && refused < 3; i++) {
        HttpResponse<String> r = server.post(Scheme.HTTP, "/api/status", body("full-" + i));
        if (r.statusCode() == 201) {
          acknowledged.add(Json.MAPPER.readTree(r.body()).get("id").asLong());
        } else {
          assertEquals(503, r.statusCode(), r.body());
          assertTrue(r.body().contains("not stored"), r.body());
          refused++;
        }
      }
      assertEquals(3, refused, "posts are refused while the disk is full");
      JsonNode degraded = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
      assertEquals("degraded", degraded.get("status").asText(), "/health does not say up while the store fails");
      assertTrue(degraded.get("store").asText().startsWith("failing: "), degraded.toString());

      Files.delete(filler);
      for (int i = 0; i < 3; i++) acknowledged.add(post(server, "after-" + i, 201));
      JsonNode healthy = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
      assertEquals("up", healthy.get("status").asText());
      assertEquals("ok", healthy.get("store").asText());

      List<Long> streamed = live.take(acknowledged.size(), 30).stream().map(e -> Long.parseLong(e.id())).toList();
      assertEquals(acknowledged, streamed, "the live stream carries every acknowledged event once, in order");
      assertEquals(acknowledged, StoreProbe.ids(dir.resolve("data/status.db")), "what was acknowledged is what is stored");
    }
  }

  private static String body(String message) {
    return "{\"node\":\"disk-full\",\"phase\":\"info\",\"message\":\"" + message + "x".repeat(2000) + "\"}";
  }

  private static long post(TestServer server, String message, int expected) throws Exception {
    HttpResponse<String> r = server.post(Scheme.HTTP, "/api/status", body(message));
    assertEquals(expected, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body()).get("id").asLong();
  }
}
