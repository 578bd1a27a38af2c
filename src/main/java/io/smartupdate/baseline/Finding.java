package io.smartupdate.baseline;

import java.util.Objects;

/**
 * The analysis of one (node, component): the version installed (null when no member matched), the
 * baseline's version, the action and why. A compliance row, a report line and a deploy step's input.
 */
public record Finding(String node, String componentId, String componentName, String installed, String available,
    Action action, String reason) {
  public Finding {
    Objects.requireNonNull(node, "node == null");
    Objects.requireNonNull(componentId, "componentId == null");
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(reason, "reason == null");
  }
}
