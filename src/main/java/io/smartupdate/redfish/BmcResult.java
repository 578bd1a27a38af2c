package io.smartupdate.redfish;

/** How one BMC's deployment ended, for the summary table: versions before and after, outcome, reason. */
public record BmcResult(String bmc, String node, String before, String after, Outcome outcome, String reason) {
  /** UPDATED and DRY_RUN count as finished; NOT_UPDATED (the BMC said yes, nothing changed) and FAILED as failures. */
  public enum Outcome {
    UPDATED, DRY_RUN, NOT_UPDATED, FAILED;

    public boolean ok() {
      return this == UPDATED || this == DRY_RUN;
    }
  }
}
