package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What must restart before a flashed component runs: nothing, the BMC, or the host. */
public enum Reboot {
  NONE, BMC, HOST;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reboot named {@code text} (case-insensitive). */
  public static Reboot parse(String text) {
    for (Reboot r : values()) if (r.json().equalsIgnoreCase(text)) return r;
    throw new IllegalArgumentException("reboot must be none, bmc or host, not \"" + text + "\"");
  }
}
