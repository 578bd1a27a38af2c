package io.smartupdate.baseline;

import java.math.BigInteger;
import java.util.Locale;

/**
 * {@code hex}: versions a device reports as one hexadecimal number ({@code 0x0102}), each byte a
 * segment, so "0x0102" equals the dotted "1.2" a release note prints. Two hex numbers of the same
 * width compare as numbers; of different widths the byte layout is not known and they are UNKNOWN.
 */
final class HexScheme implements VersionScheme<HexScheme.Hex> {
  private static final int MAX_HEX_DIGITS = 32;

  /** {@code digits} is the even-width hex without 0x, or null for a dotted version. */
  record Hex(String text, String digits, Segments segments) {}

  @Override
  public String name() {
    return "hex";
  }

  @Override
  public Hex parse(String text) {
    if (text.startsWith("0x") || text.startsWith("0X")) {
      String digits = text.substring(2).toLowerCase(Locale.ROOT);
      if (digits.isEmpty() || digits.length() > MAX_HEX_DIGITS || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        throw new IllegalArgumentException("\"" + text + "\" is not 0x followed by 1 to 32 hex digits");
      if (digits.length() % 2 == 1) digits = "0" + digits;
      long[] bytes = new long[digits.length() / 2];
      for (int i = 0; i < bytes.length; i++) bytes[i] = Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
      return new Hex(text, digits, new Segments(bytes));
    }
    return new Hex(text, null, Segments.dotted(text));
  }

  @Override
  public VersionComparison compare(Hex installed, Hex available) {
    if (installed.digits() != null && available.digits() != null) {
      if (installed.digits().length() != available.digits().length())
        return unknown(installed, available, "hex numbers of different widths");
      int cmp = new BigInteger(installed.digits(), 16).compareTo(new BigInteger(available.digits(), 16));
      return VersionScheme.ordered(cmp, installed.text(), available.text());
    }
    Hex dotted = installed.digits() == null ? installed : available;
    if ((installed.digits() == null) != (available.digits() == null))
      for (long segment : dotted.segments().values())
        if (segment > 255) return unknown(installed, available, "segment " + segment + " of " + dotted.text() + " is not a byte");
    return VersionScheme.ordered(installed.segments().compareTo(available.segments()), installed.text(), available.text());
  }

  private VersionComparison unknown(Hex installed, Hex available, String why) {
    return VersionScheme.unknown(name(), installed.text(), available.text(), why);
  }
}
