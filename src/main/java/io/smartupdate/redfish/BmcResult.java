package io.smartupdate.redfish;

/** How one BMC's deployment ended, for the summary table: versions before and after, outcome, reason. */
public record BmcResult(String bmc, String node, String before, String after, Outcome outcome, String reason) {
  /** A node the rollout never started, and why. */
  static BmcResult skipped(Bmc bmc, String why) {
    return new BmcResult(bmc.address(), bmc.node(), "-", "-", Outcome.SKIPPED, "not started: " + why);
  }

  /**
   * UPDATED and DRY_RUN count as finished; NOT_UPDATED (the BMC said yes, nothing changed) and FAILED
   * as failures; SKIPPED (never started: the rollout stopped) as not finished.
   */
  public enum Outcome {
    UPDATED, DRY_RUN, NOT_UPDATED, FAILED, SKIPPED;

    public boolean ok() {
      return this == UPDATED || this == DRY_RUN;
    }

    /** A node that was tried and did not end well: what --max-failures and --canary count. */
    public boolean failed() {
      return this == NOT_UPDATED || this == FAILED;
    }
  }
}
