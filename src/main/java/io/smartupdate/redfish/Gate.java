package io.smartupdate.redfish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Whether a run may start anything new: closed for good by a canary failure, by --max-failures,
 * or by Ctrl-C. What already started is followed to its end; pushes in flight are counted, so
 * that an exit can wait until none is half-sent.
 */
final class Gate {
  private final Rollout rollout;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger pushing = new AtomicInteger();
  private volatile String closed;

  Gate(Rollout rollout) {
    this.rollout = rollout;
  }

  /** Why nothing new may start, or null while it may. */
  String closed() {
    return closed;
  }

  /** Closes the gate; the first reason stays. */
  synchronized void close(String reason) {
    if (closed == null) closed = reason;
  }

  /** Counts a node's end against --max-failures. */
  void finished(BmcResult result) {
    if (!result.outcome().failed()) return;
    int failed = failures.incrementAndGet();
    if (rollout.maxFailures() > 0 && failed >= rollout.maxFailures()) {
      close(failed + " node" + (failed == 1 ? "" : "s") + " failed (--max-failures " + rollout.maxFailures() + ")");
    }
  }

  /** Runs a push, counted while its bytes are on their way. */
  <T> T pushing(Supplier<T> push) {
    pushing.incrementAndGet();
    try {
      return push.get();
    } finally {
      synchronized (pushing) {
        pushing.decrementAndGet();
        pushing.notifyAll();
      }
    }
  }

  /** Waits until no push is half-sent, up to {@code limit}; true when none is. */
  boolean awaitPushes(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (pushing) {
      while (pushing.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        pushing.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  int pushesInFlight() {
    return pushing.get();
  }
}
