package io.smartupdate.baseline;

import java.util.List;
import java.util.Objects;

/**
 * What deploy does on one node, in order; or, when {@code blocked} is not empty, why it does
 * nothing: each entry names a component and the version it is missing.
 */
public record NodePlan(String node, List<PlannedStep> steps, List<String> blocked) {
  public NodePlan {
    Objects.requireNonNull(node, "node == null");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps == null"));
    blocked = List.copyOf(Objects.requireNonNull(blocked, "blocked == null"));
  }

  /** True when a component cannot be applied and the node is left untouched. */
  public boolean isBlocked() {
    return !blocked.isEmpty();
  }
}
