package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NonceCacheTest {
  @Test
  void aNonceIsSeenUpToAndIncludingItsExpirySecond() {
    NonceCache cache = new NonceCache(10);
    assertFalse(cache.seen("a", 100), "nothing recorded yet");
    cache.remember("a", 100, 200);
    assertTrue(cache.seen("a", 100));
    assertTrue(cache.seen("a", 200), "still valid in its last second");
    assertFalse(cache.seen("a", 201), "gone once its window has passed");
    assertFalse(cache.seen("b", 150), "only the recorded nonce");
  }

  @Test
  void aPurgeKeepsNoncesThatAreStillValid() {
    NonceCache cache = new NonceCache(10);
    assertEquals(NonceCache.Result.FRESH, cache.remember("a", 100, 200));
    assertEquals(NonceCache.Result.FRESH, cache.remember("b", 100, 120));
    // at 150 a purge is due (5 s after the first): "b" expired, "a" must survive it
    assertEquals(NonceCache.Result.REPLAYED, cache.remember("a", 150, 300));
    assertFalse(cache.seen("b", 150));
    // at 200 "a" is in its last valid second: a purge then must not forget it
    assertEquals(NonceCache.Result.REPLAYED, cache.remember("a", 200, 300));
  }

  @Test
  void aFullCacheFreesExpiredNoncesAtOnceButSweepsAtMostOnceASecond() {
    NonceCache cache = new NonceCache(1);
    assertEquals(NonceCache.Result.FRESH, cache.remember("a", 100, 101));
    assertEquals(NonceCache.Result.FULL, cache.remember("b", 101, 200), "'a' is still valid in its last second");
    assertEquals(NonceCache.Result.FULL, cache.remember("b", 101, 200), "swept at 101 already");
    assertEquals(NonceCache.Result.FRESH, cache.remember("b", 102, 200), "the sweep at 102 frees the slot");
    assertEquals(1, cache.size());
  }

  @Test
  void aFloodPastTheCapIsRefusedAndForgetsNoNonceBeforeItsExpiry() {
    int capacity = 5_000;
    NonceCache cache = new NonceCache(capacity);
    for (int i = 0; i < capacity; i++) {
      assertEquals(NonceCache.Result.FRESH, cache.remember("nonce-" + i, 100, 400));
    }
    for (int i = capacity; i < 3 * capacity; i++) {
      assertEquals(NonceCache.Result.FULL, cache.remember("nonce-" + i, 100 + i % 300, 500), "over the cap: refused, nothing evicted");
    }
    for (int i = 0; i < capacity; i++) {
      assertEquals(NonceCache.Result.REPLAYED, cache.remember("nonce-" + i, 399, 700), "a replay inside the window: nonce-" + i);
    }
    assertEquals(NonceCache.Result.FRESH, cache.remember("late", 401, 700), "the window has passed: all expired at once");
    assertEquals(1, cache.size());
    assertTrue(cache.bytes() <= (long) NonceCache.slotsFor(capacity) * NonceCache.BYTES_PER_SLOT);
  }

  @Test
  void theTableIsBoundedByTheCapacityWhateverTheNonceLength() {
    assertEquals(1 << 20, NonceCache.slotsFor(786_432), "3/4 of 2^20 slots");
    assertEquals(12L << 20, (long) NonceCache.slotsFor(786_432) * NonceCache.BYTES_PER_SLOT, "12 MiB at the server's cap");
    NonceCache cache = new NonceCache(3_000);
    String padding = "x".repeat(120);
    for (int i = 0; i < 3_000; i++) cache.remember(padding + i, 100, 400);
    assertEquals((long) NonceCache.slotsFor(3_000) * NonceCache.BYTES_PER_SLOT, cache.bytes());
  }

  /** Random traffic against a plain map: a nonce accepted is refused as replayed until its expiry, whatever purges ran. */
  @Test
  void agreesWithAMapThroughPurgesAndDeletionsInCrowdedProbeRuns() {
    Random random = new Random(22);
    int capacity = 3_000;
    NonceCache cache = new NonceCache(capacity);
    Map<String, Long> accepted = new HashMap<>();
    long now = 1_000;
    for (int op = 0; op < 300_000; op++) {
      if (random.nextInt(50) == 0) now++;
      String nonce = "n" + random.nextInt(8_000);
      Long expiry = accepted.get(nonce);
      boolean live = expiry != null && expiry >= now;
      assertEquals(live, cache.seen(nonce, now), nonce + " at " + now);
      long expiresAt = now + 1 + random.nextInt(60);
      NonceCache.Result result = cache.remember(nonce, now, expiresAt);
      if (live) {
        assertEquals(NonceCache.Result.REPLAYED, result, nonce + " at " + now);
      } else if (result == NonceCache.Result.FULL) {
        assertEquals(capacity, cache.size(), "refused only at the cap");
      } else {
        assertEquals(NonceCache.Result.FRESH, result, nonce + " at " + now);
        accepted.put(nonce, expiresAt);
      }
    }
  }
}
