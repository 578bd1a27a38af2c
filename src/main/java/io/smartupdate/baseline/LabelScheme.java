package io.smartupdate.baseline;

import java.util.regex.Pattern;

/**
 * {@code label}: a vendor string with no order anyone documents (drive firmware {@code GS0C}, an
 * adapter's {@code 8.2.0 build 17-b}); the same label is the same version, any other pair is UNKNOWN.
 */
final class LabelScheme implements VersionScheme<String> {
  private static final Pattern LABEL = Pattern.compile("^[\\x21-\\x7e](?:[\\x20-\\x7e]{0,126}[\\x21-\\x7e])?$");

  @Override
  public String name() {
    return "label";
  }

  @Override
  public String parse(String text) {
    if (!LABEL.matcher(text).matches()) throw new IllegalArgumentException("\"" + text + "\" is not 1-128 printable characters");
    return text;
  }

  @Override
  public VersionComparison compare(String installed, String available) {
    return VersionScheme.unknown(name(), installed, available, "labels have no order; only the same label is the same version");
  }
}
