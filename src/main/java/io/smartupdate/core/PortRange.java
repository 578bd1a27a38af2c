package io.smartupdate.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A range of TCP ports, written {@code A-B} on the command line (hand-off and FTP passive ports). */
public record PortRange(int first, int last) {
  private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("ports must be in 1-65535 with A <= B, not " + first + "-" + last);
    }
  }

  /**
   * Parses {@code "A-B"}, or {@code "A"} as a range of one when {@code singleAllowed}; the
   * message is a short reason ("expected a range A-B") for the caller to put after the option.
   */
  public static PortRange parse(String text, boolean singleAllowed) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    if (!m.matches() || (m.group(2) == null && !singleAllowed)) throw new IllegalArgumentException("expected a range A-B");
    int first = Integer.parseInt(m.group(1));
    return new PortRange(first, m.group(2) == null ? first : Integer.parseInt(m.group(2)));
  }

  /** This range, if every port is above 1024, as SUM requires of the ports it moves traffic to. */
  public PortRange requireHigh() {
    if (first <= 1024) throw new IllegalArgumentException("every port must be above 1024");
    return this;
  }

  public int size() {
    return last - first + 1;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
