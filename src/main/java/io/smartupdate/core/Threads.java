package io.smartupdate.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the server's background work. */
public final class Threads {
  private Threads() {}

  /** Daemon threads named {@code name} (numbered after the first), so a stuck one never holds the JVM. */
  public static ThreadFactory daemon(String name) {
    return daemon(name, Thread.NORM_PRIORITY);
  }

  /** As {@link #daemon(String)}, at {@code priority} (background hashing yields to serving). */
  public static ThreadFactory daemon(String name, int priority) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(runnable, n == 1 ? name : name + "-" + n);
      thread.setDaemon(true);
      thread.setPriority(priority);
      return thread;
    };
  }
}
