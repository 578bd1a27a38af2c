package io.smartupdate.baseline;

/** Redfish {@code @Redfish.OperationApplyTime}: when the BMC applies an image it accepted. */
public enum ApplyTime {
  Immediate, OnReset;

  /** The apply time named {@code text} (exact Redfish spelling, case-insensitive). */
  public static ApplyTime parse(String text) {
    for (ApplyTime a : values()) if (a.name().equalsIgnoreCase(text)) return a;
    throw new IllegalArgumentException("applyTime must be Immediate or OnReset, not \"" + text + "\"");
  }
}
