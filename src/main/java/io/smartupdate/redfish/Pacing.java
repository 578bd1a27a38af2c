package io.smartupdate.redfish;

import java.time.Duration;

/**
 * How often deploy asks and how long it waits for a BMC to settle. The defaults suit real BMCs;
 * tests shorten them so that stub BMCs run in seconds.
 *
 * @param firstPoll the first pause between task polls (it grows by half each poll)
 * @param maxPoll the longest pause between task polls
 * @param settlePoll the pause between reads while a BMC settles or comes back from a reset
 * @param settleQuiet how long a BMC that stays up with an unchanged inventory is watched before it is judged
 * @param goodReads consecutive good reads that make a BMC back from a reset
 */
public record Pacing(Duration firstPoll, Duration maxPoll, Duration settlePoll, Duration settleQuiet, int goodReads) {
  public static final Pacing DEFAULT = new Pacing(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30), 3);

  public Pacing {
    for (Duration d : new Duration[] {firstPoll, maxPoll, settlePoll, settleQuiet}) {
      if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("pacing: every pause must be positive");
    }
    if (maxPoll.compareTo(firstPoll) < 0) throw new IllegalArgumentException("pacing: maxPoll must not be shorter than firstPoll");
    if (goodReads < 1) throw new IllegalArgumentException("pacing: goodReads must be 1 or more");
  }
}
