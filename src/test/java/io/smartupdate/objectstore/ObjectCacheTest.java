package io.smartupdate.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 cache: atomic fills, one fill per object, LRU eviction under the cap that never takes a pinned copy. */
@Timeout(30)
class ObjectCacheTest {
  @TempDir Path dir;

  private static StoredObject object(String path, int size) {
    return new StoredObject(path, size, "etag-" + path, Instant.parse("2026-12-01T00:00:00Z"));
  }

  /** Writes deterministic bytes for the object, as the bucket would send them. */
  private static String write(StoredObject o, Path target) throws IOException {
    byte[] bytes = Samples.bytes((int) o.size(), o.path().hashCode());
    Files.write(target, bytes);
    return Samples.sha256(bytes);
  }

  @Test
  void aFillCutByACrashLeavesNothingThatIsServedAndIsCleanedAtTheNextStart() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("a.bin", 1000);
    assertThrows(IOException.class, () -> cache.fill(o, (object, target) -> {
      Files.write(target, new byte[10]); // half an image, then the connection breaks
      throw new IOException("reset by peer");
    }));
    assertNull(cache.pin(o), "no copy of a failed fill");
    Files.write(dir.resolve(".fill-left-by-a-crash"), new byte[10]);
    ObjectCache restarted = new ObjectCache(dir, 1 << 20);
    assertNull(restarted.pin(o));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".fill-")), "temporary files are gone");
    }
  }

  @Test
  void twoRequestsForOneUncachedObjectShareOneFetch() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("shared.bin", 5000);
    AtomicInteger fetches = new AtomicInteger();
    CountDownLatch second = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ObjectCache.Fetch slow = (object, target) -> {
      fetches.incrementAndGet();
      try {
        second.await(5, TimeUnit.SECONDS); // the second request arrives while this fill runs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return write(object, target);
    };
    try {
      Future<String> a = pool.submit(() -> cache.fill(o, slow));
      Future<String> b = pool.submit(() -> {
        Thread.sleep(100);
        second.countDown();
        return cache.fill(o, slow);
      });
      assertEquals(a.get(), b.get());
    } finally {
      pool.shutdown();
    }
    assertEquals(1, fetches.get());
    ObjectCache.Pinned pinned = cache.pin(o);
    assertArrayEquals(Samples.bytes(5000, "shared.bin".hashCode()), Files.readAllBytes(pinned.file()));
    assertEquals(pinned.file().getFileName().toString(), pinned.sha256(), "the file is named by its SHA-256");
  }

  @Test
  void theLeastRecentlyUsedUnpinnedCopyIsEvictedAndAPinnedOneNever() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 2500);
    StoredObject a = object("a.bin", 1000);
    StoredObject b = object("b.bin", 1000);
    StoredObject c = object("c.bin", 1000);
    cache.fill(a, ObjectCacheTest::write);
    cache.fill(b, ObjectCacheTest::write);
    ObjectCache.Pinned servingA = cache.pin(a); // a is in flight (and now the most recently used)
    cache.fill(c, ObjectCacheTest::write);
    assertNull(cache.pin(b), "b, the least recently used, made room");
    assertNotNull(cache.known(a));
    assertEquals(2000, cache.bytes());

    StoredObject d = object("d.bin", 1000);
    cache.fill(d, ObjectCacheTest::write);
    assertNotNull(cache.known(a), "a is pinned: kept although it is older than c");
    assertNull(cache.known(c));
    cache.unpin(servingA.sha256());
    assertEquals(List.of(a, d).size(), cache.cachedObjects().size());
    assertTrue(Files.exists(servingA.file()));
  }

  @Test
  void theIndexSurvivesARestart() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("kept.bin", 3000);
    String sha = cache.fill(o, ObjectCacheTest::write);
    ObjectCache restarted = new ObjectCache(dir, 1 << 20);
    assertEquals(sha, restarted.known(o));
    assertEquals(List.of(o), restarted.cachedObjects());
  }
}
