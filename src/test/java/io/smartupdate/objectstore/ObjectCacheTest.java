package io.smartupdate.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.HeldRead;
import io.smartupdate.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 cache: atomic fills read as they arrive, one fill per object, LRU eviction under the cap that never takes a pinned copy. */
@Timeout(30)
class ObjectCacheTest {
  @TempDir Path dir;

  private static StoredObject object(String path, int size) {
    return new StoredObject(path, size, "etag-" + path, Instant.parse("2026-12-01T00:00:00Z"));
  }

  /** Deterministic bytes for the object, as the bucket would send them. */
  private static byte[] bytes(StoredObject o) {
    return Samples.bytes((int) o.size(), o.path().hashCode());
  }

  private static ByteArrayInputStream send(StoredObject o) {
    return new ByteArrayInputStream(bytes(o));
  }

  private static String fill(ObjectCache cache, StoredObject o) throws IOException {
    return cache.fill(o, ObjectCacheTest::send).awaitDigest();
  }

  @Test
  void aFillCutByACrashLeavesNothingThatIsServedAndIsCleanedAtTheNextStart() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("a.bin", 1000);
    HeldRead held = new HeldRead(10);
    Fill fill = cache.fill(o, object -> held.wrap(send(object)));
    held.fail("reset by peer"); // half an image, then the connection breaks
    assertThrows(IOException.class, fill::awaitDigest);
    assertThrows(IOException.class, fill::arrived, "a reader learns that the bytes stop here");
    assertNull(cache.pin(o), "no copy of a failed fill");
    Files.write(dir.resolve(".fill-left-by-a-crash"), new byte[10]);
    ObjectCache restarted = new ObjectCache(dir, 1 << 20);
    assertNull(restarted.pin(o));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".fill-")), "temporary files are gone");
    }
  }

  @Test
  void aReaderFollowsTheBytesAsTheyArriveAndIsWokenForMore() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("big.bin", 600_000);
    HeldRead held = new HeldRead(100_000);
    Fill fill = cache.fill(o, object -> held.wrap(send(object)));
    held.awaitHeld();
    fill.await(100_000); // returns at once: these bytes are there
    assertEquals(100_000, fill.arrived());
    assertTrue(cache.read(fill));
    try (FileChannel channel = FileChannel.open(fill.file, StandardOpenOption.READ)) {
      ByteBuffer first = ByteBuffer.allocate(100_000);
      while (first.hasRemaining()) channel.read(first, first.position());
      assertArrayEquals(Arrays.copyOf(bytes(o), 100_000), first.array(), "the bytes read while the fill is held");
    }
    CountDownLatch woken = new CountDownLatch(1);
    assertTrue(fill.whenArrived(100_000, woken::countDown), "nothing past the hold yet: a wake-up is registered");
    assertFalse(fill.complete());
    held.release();
    assertTrue(woken.await(10, TimeUnit.SECONDS), "woken by the fill's progress");
    String sha = fill.awaitDigest();
    assertEquals(Samples.sha256(bytes(o)), sha);
    cache.leave(fill);
    assertNotNull(cache.pin(o));
  }

  @Test
  void aFillWhoseDigestIsNotTheDeclaredOneIsDroppedAndRemembered() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("declared.bin", 2000);
    DigestMismatch.Declared declared = new DigestMismatch.Declared("0".repeat(64), "its x-amz-meta-sha256");
    Fill fill = cache.fill(o, ObjectCacheTest::send, declared, "s3://firmware/declared.bin");
    DigestMismatch refused = assertThrows(DigestMismatch.class, fill::awaitDigest);
    assertTrue(refused.getMessage().contains(Samples.sha256(bytes(o))), refused.getMessage());
    assertNull(cache.pin(o), "the copy was dropped");
    assertSame(refused, cache.mismatched(o, "0".repeat(64)));
    assertNull(cache.mismatched(o, "1".repeat(64)), "declared anew, it is fetched again");
    assertEquals(Samples.sha256(bytes(o)), cache.fill(o, ObjectCacheTest::send, new DigestMismatch.Declared(Samples.sha256(bytes(o)),
        "the manifest"), "s3://firmware/declared.bin").awaitDigest());
  }

  @Test
  void aRequestMadeWhenAFillFailsStartsAFreshFillInsteadOfJoiningTheFailedOne() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    DigestMismatch.Declared wrong = new DigestMismatch.Declared("0".repeat(64), "its x-amz-meta-sha256");
    for (int i = 0; i < 20; i++) {
      StoredObject o = object("refill-" + i + ".bin", 3000 + i);
      DigestMismatch.Declared right = new DigestMismatch.Declared(Samples.sha256(bytes(o)), "the manifest");
      Fill failed = cache.fill(o, ObjectCacheTest::send, wrong, "s3://firmware/refill.bin");
      assertThrows(DigestMismatch.class, failed::awaitDigest);
      // The waiter woke by the failure asks at once: the failed fill must already be out of the way.
      Fill next = cache.fill(o, ObjectCacheTest::send, right, "s3://firmware/refill.bin");
      assertNotSame(failed, next);
      assertEquals(right.sha256(), next.awaitDigest());
    }
  }

  @Test
  void twoRequestsForOneUncachedObjectShareOneFetch() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    StoredObject o = object("shared.bin", 5000);
    AtomicInteger fetches = new AtomicInteger();
    HeldRead held = new HeldRead(1000);
    ObjectCache.Fetch counted = object -> {
      fetches.incrementAndGet();
      return held.wrap(send(object));
    };
    Fill first = cache.fill(o, counted);
    held.awaitHeld();
    Fill second = cache.fill(o, counted); // arrives while the first fill runs
    assertSame(first, second);
    held.release();
    assertEquals(first.awaitDigest(), second.awaitDigest());
    assertEquals(1, fetches.get());
    ObjectCache.Pinned pinned = cache.pin(o);
    assertArrayEquals(bytes(o), Files.readAllBytes(pinned.file()));
    assertEquals(pinned.file().getFileName().toString(), pinned.sha256(), "the file is named by its SHA-256");
  }

  @Test
  void theLeastRecentlyUsedUnpinnedCopyIsEvictedAndAPinnedOneNever() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 2500);
    StoredObject a = object("a.bin", 1000);
    StoredObject b = object("b.bin", 1000);
    StoredObject c = object("c.bin", 1000);
    fill(cache, a);
    fill(cache, b);
    ObjectCache.Pinned servingA = cache.pin(a); // a is in flight (and now the most recently used)
    fill(cache, c);
    assertNull(cache.pin(b), "b, the least recently used, made room");
    assertNotNull(cache.known(a));
    assertEquals(2000, cache.bytes());

    StoredObject d = object("d.bin", 1000);
    fill(cache, d);
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
    String sha = fill(cache, o);
    ObjectCache restarted = new ObjectCache(dir, 1 << 20);
    assertEquals(sha, restarted.known(o));
    assertEquals(List.of(o), restarted.cachedObjects());
  }
}
