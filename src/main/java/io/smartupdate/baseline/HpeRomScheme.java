package io.smartupdate.baseline;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hpe-rom}: HPE System ROM versions. The inventory writes "U46 v2.90 (03/15/2026)", the
 * repository and file names "2.90_03-15-2026" or "U46_2.90_03_15_2026": a ROM family, a version
 * and a release date (month/day/year). Families that differ (U46 against U54) are different
 * platforms and cannot be ordered; the version decides, the date breaks a tie between rebuilds.
 */
final class HpeRomScheme implements VersionScheme<HpeRomScheme.Rom> {
  private static final Pattern ROM = Pattern.compile(
      "^(?:([A-Z]\\d{2,3})[ _])?v?(\\d{1,9}(?:\\.\\d{1,9}){0,3})(?:[ _]\\(?(\\d{2})[/_-](\\d{2})[/_-](\\d{4})\\)?)?$");

  /** {@code family} and {@code date} are null when the string does not name them. */
  record Rom(String text, String family, Segments version, LocalDate date) {}

  @Override
  public String name() {
    return "hpe-rom";
  }

  @Override
  public Rom parse(String text) {
    Matcher m = ROM.matcher(text);
    if (!m.matches())
      throw new IllegalArgumentException("\"" + text + "\" is not an HPE ROM version (U46 v2.90 (03/15/2026) or 2.90_03-15-2026)");
    LocalDate date = null;
    if (m.group(3) != null) {
      try {
        date = LocalDate.of(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("\"" + text + "\" has no such date (month/day/year)");
      }
    }
    return new Rom(text, m.group(1), Segments.dotted(m.group(2)), date);
  }

  @Override
  public VersionComparison compare(Rom installed, Rom available) {
    if (installed.family() != null && available.family() != null && !installed.family().equals(available.family()))
      return VersionScheme.unknown(name(), installed.text(), available.text(),
          "ROM families " + installed.family() + " and " + available.family() + " are different platforms");
    int cmp = installed.version().compareTo(available.version());
    if (cmp == 0 && installed.date() != null && available.date() != null) cmp = installed.date().compareTo(available.date());
    return VersionScheme.ordered(cmp, installed.text(), available.text());
  }
}
