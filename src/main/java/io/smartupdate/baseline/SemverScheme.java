package io.smartupdate.baseline;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code semver}: Semantic Versioning 2.0.0 precedence. A pre-release ({@code 2.0.0-rc.1}) is older
 * than its release; its identifiers compare numerically when numeric, else in ASCII order, numeric
 * below alphanumeric; build metadata ({@code +build.5}) takes no part in the order.
 */
final class SemverScheme implements VersionScheme<SemverScheme.Semver> {
  // The regular expression semver.org gives, with an optional leading "v" as git tags write it.
  private static final Pattern SEMVER = Pattern.compile("^v?(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
      + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
      + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  record Semver(String text, Segments core, List<String> preRelease) {}

  @Override
  public String name() {
    return "semver";
  }

  @Override
  public Semver parse(String text) {
    Matcher m = SEMVER.matcher(text);
    if (!m.matches()) throw new IllegalArgumentException("\"" + text + "\" is not MAJOR.MINOR.PATCH[-pre-release][+build]");
    Segments core = new Segments(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
    List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
    return new Semver(text, core, pre);
  }

  @Override
  public VersionComparison compare(Semver installed, Semver available) {
    int cmp = installed.core().compareTo(available.core());
    if (cmp == 0) cmp = comparePreRelease(installed.preRelease(), available.preRelease());
    return VersionScheme.ordered(cmp, installed.text(), available.text());
  }

  private static int comparePreRelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) return Boolean.compare(a.isEmpty(), b.isEmpty());
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int cmp = compareIdentifier(a.get(i), b.get(i));
      if (cmp != 0) return cmp;
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean an = a.chars().allMatch(Character::isDigit);
    boolean bn = b.chars().allMatch(Character::isDigit);
    if (an && bn) return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    if (an != bn) return an ? -1 : 1;
    return Integer.signum(a.compareTo(b));
  }
}
