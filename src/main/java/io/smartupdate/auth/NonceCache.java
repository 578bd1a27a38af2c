package io.smartupdate.auth;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Nonces seen inside the signature window, in a fixed-size table of 12 bytes a nonce, whatever its
 * length. Each entry lives as long as a request carrying it could still be valid, so a replay is
 * refused however quickly it comes; at the entry cap new nonces are refused ({@link Result#FULL}),
 * never an older one dropped, so the cache's memory is bounded and no replay gets through.
 *
 * <p>A nonce is kept as a 64-bit keyed hash: two different nonces share one with odds of about
 * 2<sup>-64</sup> per pair, and then the second is refused as replayed, never accepted.
 */
final class NonceCache {
  /** Bytes a table slot holds: the hash (long) and its expiry second (int). */
  static final int BYTES_PER_SLOT = Long.BYTES + Integer.BYTES;
  private static final int FIRST_SLOTS = 1 << 12;
  private static final int PURGE_SECONDS = 5;

  private final int capacity;
  private final int maxSlots;
  private final long seed = ThreadLocalRandom.current().nextLong();
  /** Open addressing, linear probing; 0 is an empty slot. */
  private long[] hashes = new long[0];
  /** The expiry second of the slot's nonce, as the low 32 bits of the epoch second (compared wrap-safe). */
  private int[] expiries = new int[0];
  private int size;
  private long lastPurge = Long.MIN_VALUE / 2;

  /** At most {@code capacity} nonces, in a table kept at most 3/4 full. */
  NonceCache(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    this.capacity = capacity;
    this.maxSlots = slotsFor(capacity);
  }

  enum Result { FRESH, REPLAYED, FULL }

  /** The table slots (a power of two, at most 3/4 used) that hold {@code capacity} nonces. */
  static int slotsFor(int capacity) {
    long needed = ((long) capacity * 4 + 2) / 3;
    return (int) Math.max(2, Long.highestOneBit(needed - 1) << 1);
  }

  /** Records {@code nonce} until {@code expiresAtSeconds}; says whether it was fresh. */
  synchronized Result remember(String nonce, long nowSeconds, long expiresAtSeconds) {
    purge(nowSeconds, false);
    long hash = hash(nonce);
    int slot = find(hash, nowSeconds);
    if (slot >= 0) {
      return Result.REPLAYED;
    }
    if (size >= capacity && !purge(nowSeconds, true)) {
      return Result.FULL;
    }
    if ((size + 1) * 4L > hashes.length * 3L) {
      grow();
    }
    insert(hash, (int) expiresAtSeconds);
    size++;
    return Result.FRESH;
  }

  /** Whether {@code nonce} was recorded and is still inside its window; records nothing. */
  synchronized boolean seen(String nonce, long nowSeconds) {
    return find(hash(nonce), nowSeconds) >= 0;
  }

  synchronized int size() {
    return size;
  }

  /** Bytes the table holds now (it grows by doubling up to what the capacity needs). */
  synchronized long bytes() {
    return (long) hashes.length * BYTES_PER_SLOT;
  }

  /** The slot of a live entry with {@code hash}, or -1. An expired entry there is a miss: purges remove it. */
  private int find(long hash, long nowSeconds) {
    if (hashes.length == 0) return -1;
    int mask = hashes.length - 1;
    for (int i = index(hash, mask); hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && !expired(expiries[i], nowSeconds)) return i;
    }
    return -1;
  }

  private static boolean expired(int expiry, long nowSeconds) {
    return expiry - (int) nowSeconds < 0;
  }

  private void insert(long hash, int expiry) {
    int mask = hashes.length - 1;
    int i = index(hash, mask);
    while (hashes[i] != 0) i = (i + 1) & mask;
    hashes[i] = hash;
    expiries[i] = expiry;
  }

  private void grow() {
    long[] oldHashes = hashes;
    int[] oldExpiries = expiries;
    int slots = Math.min(maxSlots, Math.max(FIRST_SLOTS, oldHashes.length * 2));
    if (slots == oldHashes.length) return;
    hashes = new long[slots];
    expiries = new int[slots];
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldHashes[i] != 0) insert(oldHashes[i], oldExpiries[i]);
    }
  }

  /**
   * Removes expired entries every {@value #PURGE_SECONDS} s, or at once when {@code full} (then at
   * most once a second, so a flood at the cap does not sweep the table for every request); says
   * whether there is room for one more.
   */
  private boolean purge(long nowSeconds, boolean full) {
    if (nowSeconds - lastPurge < (full ? 1 : PURGE_SECONDS)) {
      return size < capacity;
    }
    lastPurge = nowSeconds;
    int i = 0;
    while (i < hashes.length) {
      // A deletion may shift a later entry into slot i: look at it again before moving on.
      if (hashes[i] != 0 && expired(expiries[i], nowSeconds)) {
        delete(i);
        size--;
      } else {
        i++;
      }
    }
    return size < capacity;
  }

  /** Backward-shift deletion: no tombstones, so probe runs stay as short as the live entries make them. */
  private void delete(int hole) {
    int mask = hashes.length - 1;
    int j = hole;
    while (true) {
      j = (j + 1) & mask;
      if (hashes[j] == 0) break;
      int home = index(hashes[j], mask);
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      hashes[hole] = hashes[j];
      expiries[hole] = expiries[j];
      hole = j;
    }
    hashes[hole] = 0;
    expiries[hole] = 0;
  }

  private static int index(long hash, int mask) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }

  /** FNV-1a over the nonce's characters from a per-process seed, then MurmurHash3's finaliser; never 0. */
  private long hash(String nonce) {
    long h = seed ^ 0xcbf29ce484222325L;
    for (int i = 0; i < nonce.length(); i++) {
      h = (h ^ nonce.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
