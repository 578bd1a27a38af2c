package io.smartupdate.redfish;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Reboot;
import java.util.List;

/**
 * One update on one node: an image from the repository, the version it installs when known, the
 * SimpleUpdate Targets (empty for the BMC's choice), when it should apply (null: the BMC's default,
 * no {@code @Redfish.OperationApplyTime} sent) and what it resets. A node's plan is a list of steps,
 * run in order; an {@code --image} plan has one, a baseline's plan one per component.
 */
public record Step(String image, String expectedVersion, List<String> targets, ApplyTime applyTime, Reboot reboot) {
  public Step {
    if (image == null || image.isBlank()) throw new IllegalArgumentException("image: required (a path in the repository)");
    if (expectedVersion != null && expectedVersion.isBlank()) throw new IllegalArgumentException("expectedVersion: blank; null when not known");
    targets = List.copyOf(targets);
    if (reboot == null) throw new IllegalArgumentException("reboot: required (Reboot.NONE for none)");
  }

  /** A step with the BMC's default apply time that resets nothing it knows of (--image). */
  public Step(String image, String expectedVersion, List<String> targets) {
    this(image, expectedVersion, targets, null, Reboot.NONE);
  }

  /** Whether the host must restart before this step's image is active. */
  boolean needsHostReboot() {
    return reboot == Reboot.HOST || applyTime == ApplyTime.OnReset;
  }
}
