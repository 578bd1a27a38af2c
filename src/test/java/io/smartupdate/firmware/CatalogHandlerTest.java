package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TinyServer;
import io.undertow.server.handlers.BlockingHandler;
import java.io.RandomAccessFile;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog lists a file still being hashed as {@code "pending": true} with no digest, and waits (boundedly) otherwise. */
class CatalogHandlerTest {
  @TempDir Path dir;

  @Test
  void aFileStillBeingHashedIsListedAsPendingThenWithItsDigest() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    byte[] small = Samples.write(repo.resolve("small.bin"), 4096, 7);
    try (FirmwareRepository repository = FirmwareRepository.open(repo, Files.createDirectories(dir.resolve("data")))) {
      try (RandomAccessFile big = new RandomAccessFile(repo.resolve("big.bin").toFile(), "rw")) {
        big.setLength(512L << 20); // sparse, but the hasher still reads 512 MiB: far longer than a 0 ms wait
      }
      JsonNode pending = catalog(repository, 0).get("images");
      JsonNode bigEntry = find(pending, "big.bin");
      assertTrue(bigEntry.get("pending").asBoolean(), bigEntry.toString());
      assertTrue(bigEntry.path("sha256").isMissingNode() || bigEntry.get("sha256").isNull(), "no digest yet: " + bigEntry);
      assertEquals(512L << 20, bigEntry.get("size").asLong());

      JsonNode done = catalog(repository, 60_000).get("images");
      JsonNode hashed = find(done, "big.bin");
      assertFalse(hashed.path("pending").asBoolean(false), "no longer pending: " + hashed);
      assertEquals(64, hashed.get("sha256").asText().length());
      JsonNode smallEntry = find(done, "small.bin");
      assertEquals(Samples.sha256(small), smallEntry.get("sha256").asText());
      assertTrue(smallEntry.get("url").asText().endsWith("/firmware/small.bin"), smallEntry.toString());
    }
  }

  private static JsonNode catalog(FirmwareRepository repository, long waitMillis) throws Exception {
    try (TinyServer server = TinyServer.start(1, new BlockingHandler(new CatalogHandler(repository, waitMillis)))) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(0, "/api/catalog"))
          .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return Json.MAPPER.readTree(r.body());
    }
  }

  private static JsonNode find(JsonNode images, String path) {
    for (JsonNode image : images) if (image.get("path").asText().equals(path)) return image;
    throw new AssertionError(path + " is not in the catalog: " + images);
  }
}
