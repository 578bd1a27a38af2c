package io.smartupdate.redfish;

import java.util.List;

/**
 * One update on one node: an image from the repository, the version it installs when known, and
 * the SimpleUpdate Targets (empty for the BMC's choice). A node's plan is a list of steps, run in
 * order; today's {@code --image} plan has one.
 */
record Step(String image, String expectedVersion, List<String> targets) {
  Step {
    if (image == null || image.isBlank()) throw new IllegalArgumentException("image: required (a path in the repository)");
    if (expectedVersion != null && expectedVersion.isBlank()) throw new IllegalArgumentException("expectedVersion: blank; null when not known");
    targets = List.copyOf(targets);
  }
}
