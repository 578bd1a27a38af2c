package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of device a component updates; a BMC's own firmware is planned last because it resets the BMC. */
public enum ComponentClass {
  BMC, BIOS, NIC, STORAGE, CPLD, PSU, OTHER;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The class named {@code text} (case-insensitive), or an exception listing the accepted names. */
  public static ComponentClass parse(String text) {
    for (ComponentClass c : values()) if (c.json().equalsIgnoreCase(text)) return c;
    throw new IllegalArgumentException("class must be one of bmc, bios, nic, storage, cpld, psu, other, not \"" + text + "\"");
  }
}
