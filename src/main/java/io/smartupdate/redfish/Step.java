package io.smartupdate.redfish;

import java.util.List;

/**
 * One update on one node: an image from the repository, the version it installs when known, and
 * the SimpleUpdate Targets (empty for the BMC's choice). A node's plan is a list of steps, run in
 * order; an {@code --image} plan has one, a baseline's plan one per component.
 */
public record Step(String image, String expectedVersion, List<String> targets) {
  public Step {
    if (image == null || image.isBlank()) throw new IllegalArgumentException("image: required (a path in the repository)");
    if (expectedVersion != null && expectedVersion.isBlank()) throw new IllegalArgumentException("expectedVersion: blank; null when not known");
    targets = List.copyOf(targets);
  }
}
