package io.smartupdate.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thread factories for the server's background work. */
public final class Threads {
  /** The exit status when an internal thread dies: non-zero, so a service manager restarts the server. */
  public static final int EXIT_THREAD_DIED = 70;
  private static final Logger log = LoggerFactory.getLogger(Threads.class);

  private Threads() {}

  /**
   * A thread the server cannot work without (the status writer): if it dies, the process halts
   * with {@link #EXIT_THREAD_DIED} rather than live on as a zombie that listens but never stores.
   */
  public static Thread critical(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setUncaughtExceptionHandler((t, e) -> halt(t, e));
    return thread;
  }

  /** Logs why, then halts at once: shutdown hooks could wait on the very thread that died. */
  public static void halt(Thread thread, Throwable cause) {
    try {
      log.error("internal thread {} died ({}); exiting with status {} so that the service manager restarts smartupdate",
          thread.getName(), cause, EXIT_THREAD_DIED, cause);
    } finally {
      Runtime.getRuntime().halt(EXIT_THREAD_DIED);
    }
  }

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
