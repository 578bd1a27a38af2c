package io.smartupdate.handoff;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-off settings: the dedicated port range (every port above 1024, as SUM requires), lowest
 * free or random allocation, the idle timeout and the maximum life of a session.
 */
public record HandoffConfig(int firstPort, int lastPort, boolean random, Duration idle, Duration maxLife) {
  public static final HandoffConfig DEFAULT = new HandoffConfig(63010, 63099, false, Duration.ofSeconds(120), Duration.ofHours(4));
  private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

  public HandoffConfig {
    Objects.requireNonNull(idle, "idle == null");
    Objects.requireNonNull(maxLife, "maxLife == null");
    if (firstPort <= 1024 || lastPort > 65535 || firstPort > lastPort) {
      throw new IllegalArgumentException("hand-off ports " + firstPort + "-" + lastPort
          + " must be a range A-B with 1024 < A <= B <= 65535");
    }
    if (idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("hand-off idle timeout must be positive, not " + idle);
    if (maxLife.compareTo(idle) < 0) throw new IllegalArgumentException("hand-off maximum life " + maxLife + " is shorter than the idle timeout");
  }

  /** Parses "A-B"; the message names the option on failure. */
  public static HandoffConfig withRange(HandoffConfig base, String range) {
    Matcher m = RANGE.matcher(range);
    if (!m.matches()) throw new IllegalArgumentException("hand-off ports '" + range + "' must look like 63010-63099");
    return new HandoffConfig(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), base.random, base.idle, base.maxLife);
  }

  public HandoffConfig withRandom(boolean randomPorts) {
    return new HandoffConfig(firstPort, lastPort, randomPorts, idle, maxLife);
  }

  public HandoffConfig withIdle(Duration idleTimeout) {
    Duration life = maxLife.compareTo(idleTimeout) < 0 ? idleTimeout : maxLife;
    return new HandoffConfig(firstPort, lastPort, random, idleTimeout, life);
  }

  public HandoffConfig withMaxLife(Duration life) {
    return new HandoffConfig(firstPort, lastPort, random, idle, life);
  }

  public int size() {
    return lastPort - firstPort + 1;
  }

  public String range() {
    return firstPort + "-" + lastPort;
  }
}
