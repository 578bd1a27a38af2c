package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** Nothing outside the repository is ever served; changes inside it are picked up at once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RepositorySafetyIT {
  private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-REPOSITORY";
  private static final String[] TRAVERSALS = {
      "/firmware/../secret.txt", "/firmware/..%2fsecret.txt", "/firmware/%2e%2e/secret.txt", "/firmware/%2e%2e%2fsecret.txt",
      "/firmware/%252e%252e%252fsecret.txt", "/firmware/a/%2e%2e/%2e%2e/secret.txt", "/firmware/..%5csecret.txt",
      "/firmware/..\\secret.txt", "/firmware/%c0%ae%c0%ae/secret.txt", "/firmware//secret.txt", "/firmware/%2fsecret.txt",
      "/firmware/link-out/secret.txt", "/firmware/secret-link.txt", "/firmware/ok.bin%00.txt", "/firmware/C:/secret.txt",
      "/firmware/c:%5csecret.txt", "/firmware/./ok.bin", "/firmware/", "/firmware/dir", "/firmware/dir/", "/firmware/.hidden",
      "/firmware/../../../../../../etc/passwd", "/firmware/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"};

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void traversalCorpusNeverLeavesTheRepository(Scheme scheme) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(dir.resolve("secret.txt"), SECRET);
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("ok.bin"), 100, 1);
      Files.createDirectories(server.repo().resolve("dir"));
      Files.writeString(server.repo().resolve(".hidden"), SECRET);
      Files.createSymbolicLink(server.repo().resolve("link-out"), outside);
      Files.createSymbolicLink(server.repo().resolve("secret-link.txt"), outside.resolve("secret.txt"));
      for (String target : TRAVERSALS) {
        String response = RawHttp.request(server, scheme, target);
        int status = RawHttp.status(response);
        assertTrue(status == 400 || status == 404, target + " answered " + response.lines().findFirst().orElse("nothing"));
        assertFalse(response.contains(SECRET), target + " leaked the secret");
        assertFalse(response.contains("root:"), target + " leaked /etc/passwd");
      }
      assertEquals(200, RawHttp.status(RawHttp.request(server, scheme, "/firmware/ok.bin")));
      JsonNode catalog = Json.MAPPER.readTree(server.getString(scheme, "/api/catalog").body());
      assertEquals(1, catalog.get("images").size(), "only ok.bin is listed: " + catalog);
    }
  }

  @Test
  void symlinkInsideTheRepositoryIsServed() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      byte[] data = Samples.write(server.repo().resolve("real/ilo.bin"), 5000, 3);
      Files.createSymbolicLink(server.repo().resolve("current.bin"), server.repo().resolve("real/ilo.bin"));
      assertArrayEquals(data, server.get(Scheme.HTTP, "/firmware/current.bin").body());
    }
  }

  @Test
  void imagesAddedOrReplacedWhileRunningArePickedUp() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      assertEquals(404, server.get(Scheme.HTTP, "/firmware/new.bin").statusCode());
      byte[] first = Samples.write(server.repo().resolve("new.bin"), 70_000, 1);
      var r1 = server.get(Scheme.HTTP, "/firmware/new.bin");
      assertArrayEquals(first, r1.body());
      assertEquals(Samples.sha256(first), catalogSha(server, "new.bin"));

      // Replace the way operators should: write aside, then rename over (same size and mtime, as rsync -t does).
      Path staged = server.repo().resolve(".new.bin.tmp");
      byte[] second = Samples.write(staged, 70_000, 2);
      Files.setLastModifiedTime(staged, Files.getLastModifiedTime(server.repo().resolve("new.bin")));
      Files.move(staged, server.repo().resolve("new.bin"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      var r2 = server.get(Scheme.HTTP, "/firmware/new.bin");
      assertArrayEquals(second, r2.body());
      assertNotEquals(r1.headers().firstValue("etag"), r2.headers().firstValue("etag"));
      assertEquals(Samples.sha256(second), catalogSha(server, "new.bin"));
      // The old validator no longer matches: a resumed download restarts from the new bytes.
      var resumed = server.get(Scheme.HTTP, "/firmware/new.bin", "Range", "bytes=100-",
          "If-Range", r1.headers().firstValue("etag").orElseThrow());
      assertEquals(200, resumed.statusCode());
      assertArrayEquals(second, resumed.body());
    }
  }

  @Test
  void digestsAreCachedAcrossRestarts() throws Exception {
    byte[] data;
    try (TestServer server = TestServer.start(dir)) {
      data = Samples.write(server.repo().resolve("a.bin"), 200_000, 9);
      Files.setLastModifiedTime(server.repo().resolve("a.bin"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
      assertEquals(Samples.sha256(data), catalogSha(server, "a.bin"));
    }
    Path cache = dir.resolve("data/firmware-sha256.tsv");
    assertTrue(Files.readString(cache).startsWith(Samples.sha256(data)), "cache written at stop");
    // A poisoned cache entry for the same version proves the restart reads the cache instead of rehashing.
    String poisoned = "0".repeat(64) + Files.readString(cache).substring(64);
    Files.writeString(cache, poisoned);
    try (TestServer server = TestServer.start(dir)) {
      assertEquals("0".repeat(64), catalogSha(server, "a.bin"));
    }
  }

  private static String catalogSha(TestServer server, String path) throws Exception {
    for (JsonNode image : Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/catalog").body()).get("images")) {
      if (image.get("path").asText().equals(path)) return image.get("sha256").asText();
    }
    throw new AssertionError(path + " not in the catalog");
  }
}
