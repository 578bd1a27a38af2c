package io.smartupdate.baseline;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares versions the way each vendor means them. A pair that cannot be ordered is
 * {@link VersionOrder#UNKNOWN} with a reason naming both strings, never a guess: an unknown is
 * never taken for a downgrade. Schemes: {@code dotted} (the default), {@code semver}, {@code hex},
 * {@code hpe-rom}, {@code hpe-ilo}, {@code dell}, {@code label} (equality only).
 */
public final class Versions {
  private static final Map<String, VersionScheme<?>> SCHEMES = List.<VersionScheme<?>>of(new DottedScheme(),
      new SemverScheme(), new HexScheme(), new HpeRomScheme(), new HpeIloScheme(), new DellScheme(), new LabelScheme())
      .stream().collect(Collectors.toUnmodifiableMap(VersionScheme::name, Function.identity()));

  private Versions() {}

  /** {@code installed} relative to {@code available}: OLDER means an update is needed. */
  public static VersionOrder compare(String scheme, String installed, String available) {
    return explain(scheme, installed, available).order();
  }

  /** The order of {@code installed} against {@code available} under {@code scheme}, and why. */
  public static VersionComparison explain(String scheme, String installed, String available) {
    String schemeName = scheme == null ? "dotted" : scheme.toLowerCase(Locale.ROOT);
    String a = installed == null ? null : installed.strip();
    String b = available == null ? null : available.strip();
    if (a == null || a.isEmpty() || b == null || b.isEmpty())
      return VersionScheme.unknown(schemeName, String.valueOf(installed), String.valueOf(available), "a version is missing");
    VersionScheme<?> s = SCHEMES.get(schemeName);
    if (s == null) return VersionScheme.unknown(schemeName, a, b, "no such version scheme (" + names() + ")");
    // The same string is the same version whatever the scheme makes of it (a drive's "DSG8").
    if (a.equals(b)) return new VersionComparison(VersionOrder.EQUAL, a + " equals " + b);
    return compareWith(s, a, b);
  }

  /** Throws IllegalArgumentException naming the problem unless {@code version} is a version of {@code scheme}. */
  public static void check(String scheme, String version) {
    VersionScheme<?> s = scheme(scheme);
    if (version == null || version.isBlank()) throw new IllegalArgumentException("version is empty");
    s.parse(version.strip());
  }

  /** The scheme names, for messages and docs. */
  public static List<String> schemes() {
    return SCHEMES.keySet().stream().sorted().toList();
  }

  /** Throws IllegalArgumentException listing the known names unless {@code scheme} is one. */
  public static void checkScheme(String scheme) {
    scheme(scheme);
  }

  private static VersionScheme<?> scheme(String scheme) {
    VersionScheme<?> s = scheme == null ? null : SCHEMES.get(scheme.toLowerCase(Locale.ROOT));
    if (s == null) throw new IllegalArgumentException("versionScheme must be one of " + names() + ", not \"" + scheme + "\"");
    return s;
  }

  private static String names() {
    return String.join(", ", schemes());
  }

  private static <K> VersionComparison compareWith(VersionScheme<K> s, String installed, String available) {
    K a;
    K b;
    try {
      a = s.parse(installed);
      b = s.parse(available);
    } catch (IllegalArgumentException e) {
      return VersionScheme.unknown(s.name(), installed, available, e.getMessage());
    }
    return s.compare(a, b);
  }
}
