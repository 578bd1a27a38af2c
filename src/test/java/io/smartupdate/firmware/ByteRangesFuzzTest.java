package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fuzzes {@code ByteRanges.parse(header, size)}. Input, as UTF-8 text: the representation's size
 * in decimal on the first line (anything else there means 1000), the Range header value after it.
 * Invariant: never throws; every range is {@code 0 <= first <= last < size}; no two ranges
 * overlap; at most {@link ByteRanges#MAX_RANGES}. Seeds: {@code
 * src/test/resources/io/smartupdate/firmware/ByteRangesFuzzTestInputs/parse}.
 */
class ByteRangesFuzzTest {
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"bytes=", "BYTES =", "-", ",", ", ", "0-0", "-1", "0-", "9223372036854775807", "18446744073709551616"})
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    long size = 1000;
    String header = text;
    if (newline >= 0) {
      header = text.substring(newline + 1);
      try {
        size = Math.max(0, Long.parseLong(text.substring(0, newline).trim()));
      } catch (NumberFormatException e) {
        size = 1000;
      }
    }
    check(header, size);
    check(header, 0);
    check(header, 1);
  }

  private static void check(String header, long size) {
    ByteRanges.Result result = ByteRanges.parse(header, size);
    assertNotNull(result);
    if (result.ignored()) return;
    List<ByteRanges.Range> ranges = result.ranges();
    assertTrue(ranges.size() <= ByteRanges.MAX_RANGES, () -> ranges.size() + " ranges for " + header);
    for (ByteRanges.Range r : ranges) {
      assertTrue(0 <= r.first() && r.first() <= r.last() && r.last() < size, () -> r + " of " + size + " for " + header);
      assertEquals(r.last() - r.first() + 1, r.length());
    }
    List<ByteRanges.Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(ByteRanges.Range::first));
    for (int i = 1; i < sorted.size(); i++) {
      ByteRanges.Range a = sorted.get(i - 1);
      ByteRanges.Range b = sorted.get(i);
      assertTrue(b.first() > a.last(), () -> a + " overlaps " + b + " for " + header);
    }
  }
}
