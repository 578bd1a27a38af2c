package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a node is in its update. */
enum Phase {
  INVENTORY, DOWNLOADING, VERIFYING, FLASHING, REBOOTING, COMPLETE, FAILED, INFO;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The phase named {@code value}, or null. */
  public static Phase parse(String value) {
    for (Phase phase : values()) if (phase.json().equals(value)) return phase;
    return null;
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Phase::json).collect(Collectors.joining(", "));
  }
}
