package io.smartupdate.imports;

import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Versions;
import java.util.Locale;
import java.util.regex.Pattern;

/** What kind of device a catalog entry updates, and which version scheme reads its version, from its name. */
final class Classify {
  // Short words at word boundaries: "nic" is not "electronic", "sas" not "kansas".
  private static final Pattern BMC = Pattern.compile("idrac|\\bilo ?\\d?\\b|baseboard management|openbmc|\\bbmc\\b");
  private static final Pattern BIOS = Pattern.compile("bios|system rom|\\buefi\\b");
  private static final Pattern CPLD = Pattern.compile("cpld|programmable logic");
  private static final Pattern PSU = Pattern.compile("power supply|\\bpsu\\b");
  private static final Pattern NIC = Pattern.compile("network|ethernet|\\bnic\\b|netxtreme|connectx|converged|fibre channel");
  private static final Pattern STORAGE = Pattern.compile(
      "raid|perc|storage|smart array|drive|\\bssd\\b|\\bhdd\\b|nvme|\\bsas\\b|\\bhba\\b|controller");
  private static final Pattern UNSAFE_ID = Pattern.compile("[^A-Za-z0-9._:-]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");

  private Classify() {}

  /** The class a component's display name suggests; OTHER when nothing in it is known. */
  static ComponentClass byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (BMC.matcher(n).find()) return ComponentClass.BMC;
    if (BIOS.matcher(n).find()) return ComponentClass.BIOS;
    if (CPLD.matcher(n).find()) return ComponentClass.CPLD;
    if (PSU.matcher(n).find()) return ComponentClass.PSU;
    if (NIC.matcher(n).find()) return ComponentClass.NIC;
    if (STORAGE.matcher(n).find()) return ComponentClass.STORAGE;
    return ComponentClass.OTHER;
  }

  /** The first of {@code preferred} that reads {@code version}, else {@code label} (equality only). */
  static String scheme(String version, String... preferred) {
    for (String scheme : preferred) {
      try {
        Versions.check(scheme, version);
        return scheme;
      } catch (IllegalArgumentException e) {
        // try the next
      }
    }
    return "label";
  }

  /** A manifest id from catalog text: unsafe characters become '-', at most 128 characters. */
  static String id(String text) {
    String id = EDGE_DASHES.matcher(UNSAFE_ID.matcher(text).replaceAll("-")).replaceAll("");
    if (id.isEmpty()) id = "component";
    return id.length() > 128 ? id.substring(0, 128) : id;
  }
}
