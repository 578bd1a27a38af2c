package io.smartupdate.baseline;

/**
 * One vendor's way of writing versions. {@link #parse} turns a string into a key or throws
 * {@link IllegalArgumentException} saying why it is not a version of this scheme.
 */
interface VersionScheme<K> {
  String name();

  K parse(String text);

  /** {@code installed} against {@code available}, both parsed; UNKNOWN carries its reason. */
  VersionComparison compare(K installed, K available);

  /** The order of a three-way compare result, with the reason written from both strings. */
  static VersionComparison ordered(int cmp, String installed, String available) {
    if (cmp < 0) return new VersionComparison(VersionOrder.OLDER, installed + " is older than " + available);
    if (cmp > 0) return new VersionComparison(VersionOrder.NEWER, installed + " is newer than " + available);
    return new VersionComparison(VersionOrder.EQUAL, installed + " equals " + available);
  }

  /** An UNKNOWN that names both strings, the scheme and why they cannot be ordered. */
  static VersionComparison unknown(String scheme, String installed, String available, String why) {
    return new VersionComparison(VersionOrder.UNKNOWN,
        "cannot compare \"" + installed + "\" with \"" + available + "\" (" + scheme + "): " + why);
  }
}
