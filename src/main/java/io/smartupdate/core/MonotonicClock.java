package io.smartupdate.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that starts at the wall time and then advances with {@link System#nanoTime}, so
 * timeouts measured with it survive the wall clock being stepped (NTP, an operator's date -s).
 */
public final class MonotonicClock extends Clock {
  private final Instant start = Instant.now();
  private final long startNanos = System.nanoTime();

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("MonotonicClock is UTC only");
  }

  @Override
  public Instant instant() {
    return start.plusNanos(System.nanoTime() - startNanos);
  }
}
