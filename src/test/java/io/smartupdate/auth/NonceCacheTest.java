package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void expiredNoncesAreFreedFiveSecondsAfterThePreviousPurge() {
    NonceCache cache = new NonceCache(1);
    assertEquals(NonceCache.Result.FRESH, cache.remember("a", 100, 101));
    // the cache is full; "a" expired at 102, and a purge is due again at 105 (bounded work per request)
    assertEquals(NonceCache.Result.FULL, cache.remember("b", 102, 200));
    assertEquals(NonceCache.Result.FRESH, cache.remember("b", 105, 200), "the purge due at 105 frees the slot");
    assertEquals(1, cache.size());
  }
}
