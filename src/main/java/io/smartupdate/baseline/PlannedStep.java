package io.smartupdate.baseline;

import java.util.Objects;

/**
 * One update in a node's plan: the component (its file, applyTime and reboot), the version it
 * replaces and the one the inventory must show after. {@code hop} marks an intermediate version
 * planned only because a later step's {@code minimumActiveVersion} needs it.
 */
public record PlannedStep(Component component, String installed, boolean hop) {
  public PlannedStep {
    Objects.requireNonNull(component, "component == null");
  }

  /** The image's path in the repository. */
  public String file() {
    return component.file();
  }

  /** The version the inventory must show once the step is applied. */
  public String expectedVersion() {
    return component.version();
  }

  public ApplyTime applyTime() {
    return component.applyTime();
  }

  public Reboot reboot() {
    return component.reboot();
  }
}
