package io.smartupdate.core;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per interval for an event a client can cause at will (refused connections, bodies
 * cut for slowness), with the number of times it happened since the last line: a flood of
 * refusals never becomes a flood of log lines.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** Logs {@code format} at WARN (SLF4J style), unless a line was written less than one interval ago. */
  public void warn(String format, Object... args) {
    String line = due();
    if (line != null) log.warn(format + line, args);
  }

  /** As {@link #warn}, at INFO. */
  public void info(String format, Object... args) {
    String line = due();
    if (line != null) log.info(format + line, args);
  }

  /** Null when this event is to be counted, not logged; else what to append to the line. */
  private String due() {
    long now = System.nanoTime();
    long due = next.get();
    if (now - due < 0 || !next.compareAndSet(due, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return null;
    }
    long more = suppressed.getAndSet(0);
    return more == 0 ? "" : " (and " + more + " more like it since the last such line)";
  }
}
