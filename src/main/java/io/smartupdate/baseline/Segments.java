package io.smartupdate.baseline;

import java.util.Arrays;

/** Numeric version segments, compared left to right with missing trailing segments read as zero. */
record Segments(long[] values) implements Comparable<Segments> {
  private static final int MAX_DIGITS = 18;

  Segments {
    values = values.clone();
  }

  /** Parses {@code 1.10.2}: digits separated by single dots; a segment of more than 18 digits is refused. */
  static Segments dotted(String text) {
    String[] parts = text.split("\\.", -1);
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) values[i] = number(parts[i], text);
    return new Segments(values);
  }

  static long number(String digits, String whole) {
    if (digits.isEmpty() || digits.length() > MAX_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
      throw new IllegalArgumentException("\"" + whole + "\" is not numbers separated by dots");
    return Long.parseLong(digits);
  }

  @Override
  public int compareTo(Segments other) {
    int n = Math.max(values.length, other.values.length);
    for (int i = 0; i < n; i++) {
      long a = i < values.length ? values[i] : 0;
      long b = i < other.values.length ? other.values[i] : 0;
      if (a != b) return Long.compare(a, b);
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segments s && compareTo(s) == 0;
  }

  @Override
  public int hashCode() {
    int n = values.length;
    while (n > 0 && values[n - 1] == 0) n--;
    return Arrays.hashCode(Arrays.copyOf(values, n));
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
