package io.smartupdate.baseline;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dell}: Dell Update Package versions. Numbers with dots, optionally a build after a dash
 * ({@code 52.26.0-5179}, PERC) ordered as one more segment; revision letters ({@code A07}, old
 * BIOS) ordered within one letter; anything else (drive firmware such as {@code DSG8}) is a label
 * that only equals itself.
 */
final class DellScheme implements VersionScheme<DellScheme.Dell> {
  private static final Pattern NUMERIC = Pattern.compile("^(\\d{1,9}(?:\\.\\d{1,9}){0,5})(?:-(\\d{1,9}))?$");
  private static final Pattern REVISION = Pattern.compile("^([A-Z])(\\d{2})$");
  private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

  /** {@code kind} is numeric, revision or label; {@code key} is comparable within a kind (and letter). */
  record Dell(String text, String kind, String letter, Segments key) {}

  @Override
  public String name() {
    return "dell";
  }

  @Override
  public Dell parse(String text) {
    Matcher m = NUMERIC.matcher(text);
    if (m.matches()) {
      Segments numbers = Segments.dotted(m.group(1));
      if (m.group(2) != null) {
        long[] v = Arrays.copyOf(numbers.values(), numbers.values().length + 1);
        v[v.length - 1] = Long.parseLong(m.group(2));
        numbers = new Segments(v);
      }
      return new Dell(text, "numeric", null, numbers);
    }
    m = REVISION.matcher(text);
    if (m.matches()) return new Dell(text, "revision", m.group(1), new Segments(new long[] {Long.parseLong(m.group(2))}));
    if (LABEL.matcher(text).matches()) return new Dell(text, "label", null, null);
    throw new IllegalArgumentException("\"" + text + "\" is not a Dell version (letters, digits, dots and dashes)");
  }

  @Override
  public VersionComparison compare(Dell installed, Dell available) {
    if (installed.kind().equals("label") || available.kind().equals("label"))
      return VersionScheme.unknown(name(), installed.text(), available.text(), "a vendor label only equals itself");
    if (!installed.kind().equals(available.kind()))
      return VersionScheme.unknown(name(), installed.text(), available.text(), "a revision letter and a dotted version");
    if (installed.kind().equals("revision") && !installed.letter().equals(available.letter()))
      return VersionScheme.unknown(name(), installed.text(), available.text(), "revision letters " + installed.letter()
          + " and " + available.letter() + " are different series");
    return VersionScheme.ordered(installed.key().compareTo(available.key()), installed.text(), available.text());
  }
}
