package io.smartupdate.baseline;

import java.util.Objects;

/** The order of an installed version against an available one, and why, in words an operator reads. */
public record VersionComparison(VersionOrder order, String reason) {
  public VersionComparison {
    Objects.requireNonNull(order, "order == null");
    Objects.requireNonNull(reason, "reason == null");
  }
}
