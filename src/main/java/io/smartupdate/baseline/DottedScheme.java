package io.smartupdate.baseline;

/** {@code dotted}: numbers separated by dots, each compared as a number ("1.2" is older than "1.10"). */
final class DottedScheme implements VersionScheme<DottedScheme.Dotted> {
  record Dotted(String text, Segments segments) {}

  @Override
  public String name() {
    return "dotted";
  }

  @Override
  public Dotted parse(String text) {
    // A leading "v" is how many tools print a dotted version ("v2.90"); it carries no order.
    String bare = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
    return new Dotted(text, Segments.dotted(bare));
  }

  @Override
  public VersionComparison compare(Dotted installed, Dotted available) {
    return VersionScheme.ordered(installed.segments().compareTo(available.segments()), installed.text(), available.text());
  }
}
