package io.smartupdate.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a node is in its update: the phases of status events, shared by the status store and deploy. */
public enum Phase {
  INVENTORY, DOWNLOADING, VERIFYING, FLASHING, REBOOTING, COMPLETE, FAILED, INFO;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The JSON name, so that messages and terminal lines read as the API does. */
  @Override
  public String toString() {
    return json();
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
