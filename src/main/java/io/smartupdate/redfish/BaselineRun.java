package io.smartupdate.redfish;

import io.smartupdate.baseline.Fingerprint;
import java.util.Map;
import java.util.Objects;

/**
 * The baseline a deploy run applies, as it was when the run started: its name, its fingerprint
 * (what {@code deploy --resume} compares with the baseline now) and the options that planned it.
 */
public record BaselineRun(String name, Fingerprint fingerprint, Map<String, Object> options) {
  public BaselineRun {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name: required (the baseline's name)");
    Objects.requireNonNull(fingerprint, "fingerprint == null");
    options = Map.copyOf(options);
  }
}
