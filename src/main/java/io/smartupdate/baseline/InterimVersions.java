package io.smartupdate.baseline;

/** Stand-in for the baseline helper's Versions until it lands: dotted decimal only, anything else unknown. */
final class InterimVersions {
  private InterimVersions() {}

  static VersionOrder compare(String scheme, String installed, String available) {
    if (!installed.matches("\\d+(\\.\\d+)*") || !available.matches("\\d+(\\.\\d+)*")) return VersionOrder.UNKNOWN;
    String[] a = installed.split("\\.");
    String[] b = available.split("\\.");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      long x = i < a.length ? Long.parseLong(a[i]) : 0;
      long y = i < b.length ? Long.parseLong(b[i]) : 0;
      if (x != y) return x < y ? VersionOrder.OLDER : VersionOrder.NEWER;
    }
    return VersionOrder.EQUAL;
  }
}
