package io.smartupdate.redfish;

import java.util.Locale;

/** --reboot: what deploy does for steps that apply only once the host restarts. */
public enum RebootPolicy {
  /** No ComputerSystem.Reset: such steps end staged, applied at the host's next restart, not verified. */
  NEVER,
  /** One ComputerSystem.Reset per node, after its host-reboot steps, then each of them verified. */
  IF_NEEDED,
  /** As IF_NEEDED, and the host restarts once even when no step needs it. */
  ALWAYS;

  /** The policy named {@code text} as --reboot spells it; the error names the values. */
  public static RebootPolicy parse(String text) {
    for (RebootPolicy p : values()) if (p.flag().equals(text.toLowerCase(Locale.ROOT))) return p;
    throw new IllegalArgumentException("invalid value for --reboot: '" + text + "' (expected never, if-needed or always)");
  }

  /** The --reboot spelling: never, if-needed, always. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
