package io.smartupdate.redfish;

import io.smartupdate.baseline.ApplyTime;
import java.util.Set;

/**
 * What {@code @Redfish.OperationApplyTime} a step sends, from what it wants and what the BMC lists
 * in {@code @Redfish.OperationApplyTimeSupport}: the value is sent only where the BMC lists it. A
 * wanted time the BMC does not list falls back to the other one it does list, and says so.
 *
 * @param sent the value to send, or null to send none (the BMC's default)
 * @param applies when the image is expected to apply: OnReset waits for the host's restart
 * @param note what the step's event says about the choice, or null when there is nothing to say
 */
record ApplyTimeChoice(ApplyTime sent, ApplyTime applies, String note) {

  /** The choice for {@code wanted} (null: none asked, none sent) against {@code supported}, as the BMC spells the values. */
  static ApplyTimeChoice of(ApplyTime wanted, Set<String> supported) {
    if (wanted == null) return new ApplyTimeChoice(null, null, null);
    if (supported.contains(wanted.name())) return new ApplyTimeChoice(wanted, wanted, null);
    if (supported.isEmpty()) {
      return new ApplyTimeChoice(null, wanted, wanted == ApplyTime.Immediate ? null
          : "the BMC lists no @Redfish.OperationApplyTimeSupport; " + wanted + " is not sent, the BMC applies the image at its default time");
    }
    ApplyTime other = wanted == ApplyTime.Immediate ? ApplyTime.OnReset : ApplyTime.Immediate;
    if (supported.contains(other.name())) {
      return new ApplyTimeChoice(other, other, "the BMC does not list " + wanted + " in @Redfish.OperationApplyTimeSupport (it lists "
          + String.join(", ", supported) + "); sending " + other);
    }
    return new ApplyTimeChoice(null, wanted, "the BMC lists neither Immediate nor OnReset in @Redfish.OperationApplyTimeSupport (it lists "
        + String.join(", ", supported) + "); no apply time is sent, the BMC applies the image at its default time");
  }
}
