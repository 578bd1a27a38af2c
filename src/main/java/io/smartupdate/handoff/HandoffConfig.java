package io.smartupdate.handoff;

import io.smartupdate.core.PortRange;
import java.time.Duration;
import java.util.Objects;

/**
 * Hand-off settings: the dedicated port range (every port above 1024, as SUM requires), lowest
 * free or random allocation, the idle timeout and the maximum life of a session.
 */
public record HandoffConfig(PortRange ports, boolean random, Duration idle, Duration maxLife) {
  public static final HandoffConfig DEFAULT =
      new HandoffConfig(new PortRange(63010, 63099), false, Duration.ofSeconds(120), Duration.ofHours(4));

  public HandoffConfig {
    Objects.requireNonNull(ports, "ports == null");
    Objects.requireNonNull(idle, "idle == null");
    Objects.requireNonNull(maxLife, "maxLife == null");
    try {
      ports.requireHigh();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hand-off ports " + ports + ": " + e.getMessage(), e);
    }
    if (idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("hand-off idle timeout must be positive, not " + idle);
    if (maxLife.compareTo(idle) < 0) throw new IllegalArgumentException("hand-off maximum life " + maxLife + " is shorter than the idle timeout");
  }

  public HandoffConfig(int firstPort, int lastPort, boolean random, Duration idle, Duration maxLife) {
    this(new PortRange(firstPort, lastPort), random, idle, maxLife);
  }

  public HandoffConfig withPorts(PortRange range) {
    return new HandoffConfig(range, random, idle, maxLife);
  }

  public HandoffConfig withRandom(boolean randomPorts) {
    return new HandoffConfig(ports, randomPorts, idle, maxLife);
  }

  public HandoffConfig withIdle(Duration idleTimeout) {
    Duration life = maxLife.compareTo(idleTimeout) < 0 ? idleTimeout : maxLife;
    return new HandoffConfig(ports, random, idleTimeout, life);
  }

  public HandoffConfig withMaxLife(Duration life) {
    return new HandoffConfig(ports, random, idle, life);
  }

  public int firstPort() {
    return ports.first();
  }

  public int lastPort() {
    return ports.last();
  }

  public int size() {
    return ports.size();
  }

  public String range() {
    return ports.toString();
  }
}
