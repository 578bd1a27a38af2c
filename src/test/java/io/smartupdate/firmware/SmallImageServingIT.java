package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Small images old enough to be served from memory ({@link SmallImages}): the same bytes, ranges
 * and validators as from disk, and an in-place rewrite is served at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallImageServingIT {
  private static final int SIZE = 5000;
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir);
    for (Scheme scheme : Scheme.values()) {
      Path file = server.repo().resolve(scheme + ".json");
      Samples.write(file, SIZE, 7);
      // Only files whose last change is older than SmallImages.SETTLED_NANOS are kept in memory.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (millisSinceChange(file) <= TimeUnit.NANOSECONDS.toMillis(SmallImages.SETTLED_NANOS) + 200) {
        assertTrue(System.nanoTime() < deadline, "the file's ctime never became old enough");
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long millisSinceChange(Path file) throws Exception {
    return System.currentTimeMillis() - ((FileTime) Files.getAttribute(file, "unix:ctime")).toMillis();
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void settledSmallImageIsByteExactWholeInRangesAndAfterAnInPlaceRewrite(Scheme scheme) throws Exception {
    String path = "/firmware/" + scheme + ".json";
    Path file = server.repo().resolve(scheme + ".json");
    byte[] image = Files.readAllBytes(file);
    for (int i = 0; i < 3; i++) { // the first fills the memory copy, the others are served from it
      HttpResponse<byte[]> r = server.get(scheme, path);
      assertEquals(200, r.statusCode());
      assertArrayEquals(image, r.body());
      assertEquals(String.valueOf(SIZE), r.headers().firstValue("content-length").orElse(""));
    }
    String etag = server.get(scheme, path).headers().firstValue("etag").orElseThrow();
    assertEquals(etag, server.head(scheme, path).headers().firstValue("etag").orElseThrow());
    assertEquals(304, server.get(scheme, path, "If-None-Match", etag).statusCode());

    HttpResponse<byte[]> range = server.get(scheme, path, "Range", "bytes=100-199");
    assertEquals(206, range.statusCode());
    assertEquals("bytes 100-199/" + SIZE, range.headers().firstValue("content-range").orElse(""));
    assertArrayEquals(Arrays.copyOfRange(image, 100, 200), range.body());
    HttpResponse<byte[]> parts = server.get(scheme, path, "Range", "bytes=0-9, -5");
    assertEquals(206, parts.statusCode());
    String body = new String(parts.body(), StandardCharsets.ISO_8859_1);
    assertTrue(body.contains(new String(Arrays.copyOfRange(image, 0, 10), StandardCharsets.ISO_8859_1)), "first part");
    assertTrue(body.contains(new String(Arrays.copyOfRange(image, SIZE - 5, SIZE), StandardCharsets.ISO_8859_1)), "last part");

    // Same inode, same size: only the new times make it another version, and it is served at once.
    byte[] rewritten = image.clone();
    Arrays.fill(rewritten, 0, 64, (byte) 'X');
    Files.write(file, rewritten, StandardOpenOption.WRITE);
    HttpResponse<byte[]> after = server.get(scheme, path);
    assertArrayEquals(rewritten, after.body());
    assertNotEquals(etag, after.headers().firstValue("etag").orElseThrow());
  }
}
