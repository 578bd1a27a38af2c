package io.smartupdate.firmware;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** RFC 9110 section 14 byte ranges: parsing a Range header against a representation's size. */
final class ByteRanges {
  /** More ranges than this in one request is abuse, not resuming; the request is served whole. */
  static final int MAX_RANGES = 64;

  /** One satisfiable range, inclusive bounds. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }

    String contentRange(long size) {
      return "bytes " + first + "-" + last + "/" + size;
    }
  }

  /** The outcome: {@code ranges == null} means "ignore the header, send 200"; empty means 416. */
  record Result(List<Range> ranges) {
    static final Result IGNORE = new Result(null);
    static final Result UNSATISFIABLE = new Result(List.of());

    boolean ignored() {
      return ranges == null;
    }

    boolean unsatisfiable() {
      return ranges != null && ranges.isEmpty();
    }
  }

  private ByteRanges() {}

  static Result parse(String header, long size) {
    if (header == null) return Result.IGNORE;
    String value = header.trim();
    int eq = value.indexOf('=');
    if (eq < 0 || !value.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) return Result.IGNORE;
    List<Range> satisfiable = new ArrayList<>();
    int specs = 0;
    for (String spec : value.substring(eq + 1).split(",", -1)) {
      spec = spec.trim();
      if (spec.isEmpty()) continue; // RFC 9110 allows empty list elements
      if (++specs > MAX_RANGES) return Result.IGNORE;
      int dash = spec.indexOf('-');
      if (dash < 0) return Result.IGNORE;
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = number(b);
        if (suffix < 0) return Result.IGNORE;
        if (suffix > 0 && size > 0) satisfiable.add(new Range(Math.max(0, size - suffix), size - 1));
      } else {
        long first = number(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
        if (first < 0 || last < 0 || last < first) return Result.IGNORE;
        if (first < size) satisfiable.add(new Range(first, Math.min(last, size - 1)));
      }
    }
    if (specs == 0) return Result.IGNORE;
    if (satisfiable.isEmpty()) return Result.UNSATISFIABLE;
    return new Result(coalesceIfOverlapping(satisfiable));
  }

  /** Digits only; very long numbers saturate instead of failing; anything else is -1. */
  private static long number(String s) {
    if (s.isEmpty()) return -1;
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * Overlapping ranges would make us send the same bytes twice (a known amplification attack), so
   * they are merged; otherwise the client's order is kept, as RFC 9110 prefers.
   */
  private static List<Range> coalesceIfOverlapping(List<Range> ranges) {
    if (ranges.size() < 2) return List.copyOf(ranges);
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::first));
    boolean overlap = false;
    for (int i = 1; i < sorted.size(); i++) overlap |= sorted.get(i).first() <= sorted.get(i - 1).last();
    if (!overlap) return List.copyOf(ranges);
    List<Range> merged = new ArrayList<>();
    Range current = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      Range next = sorted.get(i);
      if (next.first() <= current.last() + 1) {
        current = new Range(current.first(), Math.max(current.last(), next.last()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    return List.copyOf(merged);
  }
}
