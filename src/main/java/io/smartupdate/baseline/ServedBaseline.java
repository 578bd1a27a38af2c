package io.smartupdate.baseline;

import java.util.Map;
import java.util.Objects;

/**
 * A baseline fetched from a running server, with the components whose file on the server is not
 * that component (sha-256 or size differ, file gone): {@code mismatches} maps their id to why.
 * Such a component is never offered; analysis reports it instead.
 */
public record ServedBaseline(Baseline baseline, Map<String, String> mismatches) {
  public ServedBaseline {
    Objects.requireNonNull(baseline, "baseline == null");
    mismatches = Map.copyOf(Objects.requireNonNull(mismatches, "mismatches == null"));
  }
}
