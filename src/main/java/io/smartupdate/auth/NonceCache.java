package io.smartupdate.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nonces seen inside the signature window. Each entry lives as long as a request carrying it
 * could still be valid, so a replay is refused however quickly it comes; the map is bounded so
 * that a flood of signed requests cannot exhaust memory.
 */
final class NonceCache {
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final int capacity;
  private final AtomicLong nextPurge = new AtomicLong();

  NonceCache(int capacity) {
    this.capacity = capacity;
  }

  enum Result { FRESH, REPLAYED, FULL }

  /** Records {@code nonce} until {@code expiresAtSeconds}; says whether it was fresh. */
  Result remember(String nonce, long nowSeconds, long expiresAtSeconds) {
    purge(nowSeconds);
    if (seen.size() >= capacity) return Result.FULL;
    return seen.putIfAbsent(nonce, expiresAtSeconds) == null ? Result.FRESH : Result.REPLAYED;
  }

  /** Whether {@code nonce} was recorded and is still inside its window; records nothing. */
  boolean seen(String nonce, long nowSeconds) {
    Long expiry = seen.get(nonce);
    return expiry != null && expiry >= nowSeconds;
  }

  int size() {
    return seen.size();
  }

  private void purge(long nowSeconds) {
    long due = nextPurge.get();
    if (nowSeconds < due || !nextPurge.compareAndSet(due, nowSeconds + 5)) return;
    seen.values().removeIf(expiry -> expiry < nowSeconds);
  }
}
