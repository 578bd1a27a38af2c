package io.smartupdate.core;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of something (connections, live streams) each client address holds, under a cap.
 * Addresses that hold nothing are forgotten, so the map is as large as the clients of the moment.
 */
public final class ClientCounts {
  private final int max;
  private final Map<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();

  public ClientCounts(int max) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1, not " + max);
    this.max = max;
  }

  /** Counts one more for {@code client}, or returns false (and counts nothing) when it already holds the most. */
  public boolean acquire(InetAddress client) {
    AtomicInteger count = counts.compute(client, (a, n) -> {
      AtomicInteger c = n == null ? new AtomicInteger() : n;
      c.incrementAndGet();
      return c;
    });
    if (count.get() <= max) return true;
    release(client);
    return false;
  }

  /** One fewer for {@code client}. */
  public void release(InetAddress client) {
    counts.computeIfPresent(client, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int max() {
    return max;
  }
}
