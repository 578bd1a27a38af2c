package io.smartupdate.firewall;

/** What {@code /open_firewall} and {@code /dryrun_firewall} ask for. */
public enum FirewallMode {
  /** Leave the host firewall alone. */
  OFF,
  /** Open the ports in use for the run, remove them at exit. */
  OPEN,
  /** Print the commands that OPEN would run, change nothing. */
  DRY_RUN
}
