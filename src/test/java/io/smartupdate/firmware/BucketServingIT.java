package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.objectstore.S3Bucket;
import io.smartupdate.testing.HeldRead;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A repository in object storage (S3Proxy in-process): cache under Range, one fetch, stable validators, changes, outages. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BucketServingIT {
  private static final long CAP = 64L << 20;
  @TempDir Path dir;
  private S3Bucket bucket;

  @BeforeEach
  void startBucket() throws Exception {
    bucket = new S3Bucket(dir.resolve("s3"));
  }

  @AfterEach
  void stopBucket() throws Exception {
    bucket.close();
  }

  private TestServer server(String name) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    return TestServer.start(home, c -> c.objectStore(bucket.config("spp", home.resolve("cache"), CAP)));
  }

  @Test
  void theFirstRequestsForAnUncachedImageAreServedExactlyIncludingRangesWithOneBucketFetch() throws Exception {
    byte[] image = Samples.bytes(3_000_000, 11);
    bucket.put("spp/hpe/bios.bin", image);
    try (TestServer server = server("one")) {
      int before = bucket.gets();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      Future<HttpResponse<byte[]>> whole = pool.submit(() -> server.get(Scheme.HTTP, "/firmware/hpe/bios.bin"));
      Future<HttpResponse<byte[]>> ranged = pool.submit(() -> server.get(Scheme.HTTPS, "/firmware/hpe/bios.bin", "Range", "bytes=1000-1999"));
      Future<HttpResponse<byte[]>> tail = pool.submit(() -> server.get(Scheme.HTTP, "/firmware/hpe/bios.bin", "Range", "bytes=-500"));
      assertArrayEquals(image, whole.get().body());
      assertEquals(206, ranged.get().statusCode());
      assertArrayEquals(Arrays.copyOfRange(image, 1000, 2000), ranged.get().body());
      assertEquals("bytes 1000-1999/3000000", ranged.get().headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(image, image.length - 500, image.length), tail.get().body());
      pool.shutdown();
      assertEquals(1, bucket.gets() - before, "three clients, one fetch from the bucket");

      String etag = whole.get().headers().firstValue("ETag").orElseThrow();
      HttpResponse<byte[]> ifRange = server.get(Scheme.HTTP, "/firmware/hpe/bios.bin", "Range", "bytes=0-9", "If-Range", etag);
      assertEquals(206, ifRange.statusCode(), "If-Range with the current ETag gives the range");
      HttpResponse<byte[]> stale = server.get(Scheme.HTTP, "/firmware/hpe/bios.bin", "Range", "bytes=0-9", "If-Range", "\"old\"");
      assertEquals(200, stale.statusCode(), "a stale If-Range gives the whole image");
      assertEquals(1, bucket.gets() - before, "served from the cache");

      JsonNode catalog = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/catalog").body()).get("images");
      assertEquals("hpe/bios.bin", catalog.get(0).get("path").asText());
      assertEquals(image.length, catalog.get(0).get("size").asLong());
      assertEquals(Samples.sha256(image), catalog.get(0).get("sha256").asText(), "the digest is known once cached");
    }
  }

  @Test
  void aHeadOnAnUncachedImageAnswersFromTheListingWithoutFetchingIt() throws Exception {
    byte[] image = Samples.bytes(2_000_000, 12);
    bucket.put("spp/hpe/nic.bin", image);
    try (TestServer server = server("head")) {
      int before = bucket.gets();
      HttpResponse<Void> head = server.head(Scheme.HTTP, "/firmware/hpe/nic.bin");
      assertEquals(200, head.statusCode());
      assertEquals(String.valueOf(image.length), head.headers().firstValue("Content-Length").orElseThrow());
      assertEquals(0, bucket.gets() - before, "a monitoring HEAD does not pull the image from the bucket");
      assertEquals(404, server.head(Scheme.HTTP, "/firmware/hpe/none.bin").statusCode());
      HttpResponse<byte[]> get = server.get(Scheme.HTTP, "/firmware/hpe/nic.bin");
      assertArrayEquals(image, get.body());
      assertEquals(1, bucket.gets() - before);
      assertEquals(head.headers().firstValue("ETag"), get.headers().firstValue("ETag"), "the HEAD's validators are the GET's");
      assertEquals(head.headers().firstValue("Last-Modified"), get.headers().firstValue("Last-Modified"));
    }
  }

  @Test
  void theFirstBytesOfAnUncachedImageLeaveWhileItsFillIsHeldAndRangesDuringTheFillAreExact() throws Exception {
    byte[] image = Samples.bytes(4 << 20, 21);
    bucket.put("spp/big.bin", image);
    try (TestServer server = server("streaming")) {
      int before = bucket.gets();
      HeldRead held = bucket.holdNextGet(1 << 20);
      HttpResponse<InputStream> plain = stream(server, Scheme.HTTP, "/firmware/big.bin");
      held.awaitHeld(); // the bucket sent 1 MiB of 4 and holds the rest
      assertEquals(200, plain.statusCode());
      assertEquals(image.length, plain.headers().firstValueAsLong("Content-Length").orElseThrow());
      InputStream plainBody = plain.body();
      assertArrayEquals(Arrays.copyOf(image, 500_000), plainBody.readNBytes(500_000), "the first bytes arrived while the fill is held");

      HttpResponse<InputStream> tls = stream(server, Scheme.HTTPS, "/firmware/big.bin"); // a second client joins the fill
      InputStream tlsBody = tls.body();
      assertArrayEquals(Arrays.copyOf(image, 1 << 20), tlsBody.readNBytes(1 << 20), "all that arrived, over TLS too");
      HttpResponse<byte[]> arrived = server.get(Scheme.HTTP, "/firmware/big.bin", "Range", "bytes=1000-1999");
      assertEquals(206, arrived.statusCode());
      assertArrayEquals(Arrays.copyOfRange(image, 1000, 2000), arrived.body(), "a range already arrived is served at once");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<HttpResponse<byte[]>> ahead = pool.submit(() -> server.get(Scheme.HTTPS, "/firmware/big.bin", "Range", "bytes=3000000-3000999"));
        assertFalse(ahead.isDone(), "a range past what arrived waits for it");
        held.release();
        assertEquals(206, ahead.get().statusCode());
        assertArrayEquals(Arrays.copyOfRange(image, 3_000_000, 3_001_000), ahead.get().body());
      } finally {
        pool.shutdown();
      }
      assertArrayEquals(Arrays.copyOfRange(image, 500_000, image.length), plainBody.readAllBytes());
      assertArrayEquals(Arrays.copyOfRange(image, 1 << 20, image.length), tlsBody.readAllBytes());
      assertEquals(1, bucket.gets() - before, "four requests during the fill, one fetch from the bucket");
    }
  }

  @Test
  void aFillThatFailsMidwayCutsItsReadersShortAndIsNeverServedLater() throws Exception {
    byte[] image = Samples.bytes(3 << 20, 22);
    bucket.put("spp/cut.bin", image);
    try (TestServer server = server("cut")) {
      HeldRead held = bucket.holdNextGet(1 << 20);
      HttpResponse<InputStream> response = stream(server, Scheme.HTTP, "/firmware/cut.bin");
      held.awaitHeld();
      InputStream body = response.body();
      byte[] first = body.readNBytes(100_000);
      held.fail("connection reset by the bucket");
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      IOException cut = assertThrows(IOException.class, () -> body.transferTo(rest), "the connection closes before Content-Length");
      byte[] got = ByteBuffer.allocate(first.length + rest.size()).put(first).put(rest.toByteArray()).array();
      assertTrue(got.length < image.length, cut.toString());
      assertArrayEquals(Arrays.copyOf(image, got.length), got, "every byte sent before the cut is right");

      assertArrayEquals(image, server.get(Scheme.HTTP, "/firmware/cut.bin").body(), "the next request fills anew, whole");
      try (Stream<Path> files = Files.list(dir.resolve("cut/cache"))) {
        assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".fill-")), "no partial file left");
      }
    }
  }

  private static HttpResponse<InputStream> stream(TestServer server, Scheme scheme, String path) throws Exception {
    return server.client().send(HttpRequest.newBuilder(server.uri(scheme, path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theCatalogShowsTheDeclaredSha256OfAnUncachedImageAndAFillThatDisagreesIsRefused() throws Exception {
    byte[] good = Samples.bytes(300_000, 31);
    byte[] bad = Samples.bytes(300_000, 32);
    bucket.put("spp/declared.bin", good, Map.of("sha256", Samples.sha256(good)));
    bucket.put("spp/lying.bin", bad, Map.of("sha256", Samples.sha256(good))); // declares another image's digest
    try (TestServer server = server("declared")) {
      int before = bucket.gets();
      await(() -> Samples.sha256(good).equals(catalogSha256(server, "declared.bin")), "the catalog shows the declared sha-256");
      assertEquals(before, bucket.gets(), "known from the object's metadata, without fetching the image");

      firstReaderRefusedOrCut(server, "/firmware/lying.bin");
      HttpResponse<String> refused = server.getString(Scheme.HTTP, "/firmware/lying.bin");
      assertEquals(503, refused.statusCode(), refused.body());
      JsonNode error = Json.MAPPER.readTree(refused.body());
      assertEquals("digest_mismatch", error.get("error").asText());
      String detail = error.get("detail").asText();
      assertTrue(detail.contains("s3://firmware/spp/lying.bin") && detail.contains(Samples.sha256(bad)) && detail.contains(Samples.sha256(good)),
          detail);
      assertEquals(before + 1, bucket.gets(), "refused again without another fetch");
      assertFalse(Files.exists(dir.resolve("declared/cache").resolve(Samples.sha256(bad))), "the wrong copy was dropped");

      assertArrayEquals(good, server.get(Scheme.HTTP, "/firmware/declared.bin").body(), "a copy with its declared digest serves");
    }
  }

  @Test
  void anImageWithoutMetadataIsCheckedAgainstItsManifestEntry() throws Exception {
    byte[] image = Samples.bytes(4096, 33);
    String declared = "ab".repeat(32); // the manifest's entry, not what the bucket holds
    bucket.put("spp/hpe/ilo6.bin", image);
    bucket.put("spp/baseline.json", RepositoryManifestTest.manifest("ilo6", "hpe/ilo6.bin", declared, image.length)
        .getBytes(StandardCharsets.UTF_8));
    try (TestServer server = server("manifest")) {
      assertEquals(declared, catalogSha256(server, "hpe/ilo6.bin"), "the catalog shows the entry's sha-256 before any fetch");
      firstReaderRefusedOrCut(server, "/firmware/hpe/ilo6.bin");
      HttpResponse<String> refused = server.getString(Scheme.HTTP, "/firmware/hpe/ilo6.bin");
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("the manifest declares " + declared) && refused.body().contains(Samples.sha256(image)),
          refused.body());
    }
  }

  /**
   * The first client of a fill that turns out wrong is cut before its last byte; or refused outright
   * when the fill failed before its response began (a small image arrives whole at once).
   */
  private static void firstReaderRefusedOrCut(TestServer server, String path) throws InterruptedException {
    try {
      HttpResponse<byte[]> first = server.get(Scheme.HTTP, path);
      assertEquals(503, first.statusCode(), "refused before its headers, or cut: never a whole response");
    } catch (IOException cut) {
      // cut before the last byte
    }
  }

  private static String catalogSha256(TestServer server, String path) {
    try {
      for (JsonNode image : Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/catalog").body()).get("images")) {
        if (image.get("path").asText().equals(path)) return image.path("sha256").asText(null);
      }
      return null;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void validatorsAreTheSameOnEveryServerAndAChangedObjectIsPickedUp() throws Exception {
    byte[] first = Samples.bytes(200_000, 1);
    bucket.put("spp/ilo.bin", first);
    try (TestServer a = server("a"); TestServer b = server("b")) {
      HttpResponse<byte[]> fromA = a.get(Scheme.HTTP, "/firmware/ilo.bin");
      HttpResponse<byte[]> fromB = b.get(Scheme.HTTPS, "/firmware/ilo.bin");
      assertArrayEquals(first, fromA.body());
      assertEquals(fromA.headers().firstValue("ETag"), fromB.headers().firstValue("ETag"));
      assertEquals(fromA.headers().firstValue("Last-Modified"), fromB.headers().firstValue("Last-Modified"));
      String etag = fromA.headers().firstValue("ETag").orElseThrow();
      assertEquals(304, b.get(Scheme.HTTP, "/firmware/ilo.bin", "If-None-Match", etag).statusCode(), "A's ETag validates on B");

      byte[] second = Samples.bytes(210_000, 2);
      bucket.put("spp/ilo.bin", second);
      await(() -> Arrays.equals(second, get(a, "/firmware/ilo.bin").body()), "A serves the new object without a restart");
      assertNotEquals(etag, a.get(Scheme.HTTP, "/firmware/ilo.bin").headers().firstValue("ETag").orElseThrow());
    }
  }

  @Test
  void aBucketOutageKeepsCachedImagesServingRefusesUncachedOnesAndHealsByItself() throws Exception {
    byte[] cached = Samples.bytes(100_000, 5);
    bucket.put("spp/cached.bin", cached);
    bucket.put("spp/cold.bin", Samples.bytes(100_000, 6));
    try (TestServer server = server("outage")) {
      assertArrayEquals(cached, server.get(Scheme.HTTP, "/firmware/cached.bin").body());
      bucket.stop();
      await(() -> health(server).get("status").asText().equals("degraded"), "/health says degraded");
      assertTrue(health(server).get("repository").asText().startsWith("failing: cannot reach s3://firmware/spp"));
      assertArrayEquals(cached, server.get(Scheme.HTTP, "/firmware/cached.bin").body(), "a cached image keeps serving");
      HttpResponse<String> cold = server.getString(Scheme.HTTP, "/firmware/cold.bin");
      assertEquals(503, cold.statusCode(), cold.body());
      assertEquals("10", cold.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(cold.body().contains("bucket_unavailable"), cold.body());

      bucket.restart();
      await(() -> health(server).get("status").asText().equals("up"), "/health recovers by itself");
      assertEquals(200, server.get(Scheme.HTTP, "/firmware/cold.bin").statusCode());
    }
  }

  private static HttpResponse<byte[]> get(TestServer server, String path) {
    try {
      return server.get(Scheme.HTTP, path);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode health(TestServer server) {
    try {
      return Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/health").body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls {@code done} until it holds, for up to 10 s. */
  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; Thread.sleep(50)) {
      if (done.getAsBoolean()) return;
    }
    throw new AssertionError(what + ": not within 10 s");
  }
}
