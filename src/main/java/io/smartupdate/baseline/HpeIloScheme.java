package io.smartupdate.baseline;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hpe-ilo}: iLO firmware as its Manager ("iLO 5 v3.10"), its FirmwareInventory member
 * ("3.10 Mar 15 2026") and the repository ("3.10") write it. The generations must agree when both
 * are named (iLO 5 3.10 is not comparable with iLO 6 1.55); the date breaks a tie only.
 */
final class HpeIloScheme implements VersionScheme<HpeIloScheme.Ilo> {
  private static final Pattern ILO = Pattern.compile(
      "^(?:iLO ?(\\d{1,2}) +)?v?(\\d{1,9}(?:\\.\\d{1,9}){0,3})(?: +([A-Z][a-z]{2} +\\d{1,2} +\\d{4}))?$");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ROOT);

  record Ilo(String text, String generation, Segments version, LocalDate date) {}

  @Override
  public String name() {
    return "hpe-ilo";
  }

  @Override
  public Ilo parse(String text) {
    Matcher m = ILO.matcher(text);
    if (!m.matches()) throw new IllegalArgumentException("\"" + text + "\" is not an iLO version (iLO 5 v3.10, 3.10 Mar 15 2026 or 3.10)");
    LocalDate date = null;
    if (m.group(3) != null) {
      try {
        date = LocalDate.parse(m.group(3).replaceAll(" +", " "), DATE);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"" + text + "\" has no such date (Mon D YYYY)");
      }
    }
    return new Ilo(text, m.group(1), Segments.dotted(m.group(2)), date);
  }

  @Override
  public VersionComparison compare(Ilo installed, Ilo available) {
    if (installed.generation() != null && available.generation() != null && !installed.generation().equals(available.generation()))
      return VersionScheme.unknown(name(), installed.text(), available.text(),
          "iLO " + installed.generation() + " and iLO " + available.generation() + " are different generations");
    int cmp = installed.version().compareTo(available.version());
    if (cmp == 0 && installed.date() != null && available.date() != null) cmp = installed.date().compareTo(available.date());
    return VersionScheme.ordered(cmp, installed.text(), available.text());
  }
}
