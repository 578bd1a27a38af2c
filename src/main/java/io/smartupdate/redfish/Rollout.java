package io.smartupdate.redfish;

/**
 * How a run spreads over the fleet.
 *
 * @param canary the first N nodes run alone; the rest start only when all of them finished, and not at all when one failed (0: none)
 * @param maxFailures after K failed nodes no new node starts (0: no limit)
 */
public record Rollout(int canary, int maxFailures) {
  public static final Rollout ALL = new Rollout(0, 0);

  public Rollout {
    if (canary < 0) throw new IllegalArgumentException("canary: must be 0 or more");
    if (maxFailures < 0) throw new IllegalArgumentException("maxFailures: must be 0 or more");
  }
}
