package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.firmware.ByteRanges.Range;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangesTest {
  @Test
  void singleClosedRange() {
    assertEquals(List.of(new Range(0, 99)), ByteRanges.parse("bytes=0-99", 1000).ranges());
  }

  @Test
  void openEndedRangeRunsToTheEnd() {
    assertEquals(List.of(new Range(900, 999)), ByteRanges.parse("bytes=900-", 1000).ranges());
  }

  @Test
  void suffixRangeTakesTheLastBytes() {
    assertEquals(List.of(new Range(750, 999)), ByteRanges.parse("bytes=-250", 1000).ranges());
  }

  @Test
  void suffixLongerThanTheFileIsTheWholeFile() {
    assertEquals(List.of(new Range(0, 999)), ByteRanges.parse("bytes=-5000", 1000).ranges());
  }

  @Test
  void lastPastTheEndIsClamped() {
    assertEquals(List.of(new Range(10, 999)), ByteRanges.parse("bytes=10-123456789", 1000).ranges());
  }

  @Test
  void hugeNumbersSaturateInsteadOfFailing() {
    assertEquals(List.of(new Range(5, 999)), ByteRanges.parse("bytes=5-99999999999999999999999", 1000).ranges());
  }

  @Test
  void multipleRangesKeepTheClientsOrder() {
    assertEquals(List.of(new Range(500, 599), new Range(0, 9)), ByteRanges.parse("bytes=500-599, 0-9", 1000).ranges());
  }

  @Test
  void overlappingRangesAreCoalesced() {
    assertEquals(List.of(new Range(0, 199), new Range(300, 399)),
        ByteRanges.parse("bytes=0-99,50-199,300-399,350-360", 1000).ranges());
  }

  @Test
  void unitIsCaseInsensitiveAndEmptyElementsAreAllowed() {
    assertEquals(List.of(new Range(1, 2)), ByteRanges.parse("Bytes=,1-2,", 1000).ranges());
  }

  @Test
  void unsatisfiableRangesAreDroppedWhenOthersRemain() {
    assertEquals(List.of(new Range(0, 0)), ByteRanges.parse("bytes=5000-6000,0-0", 1000).ranges());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=2000-,3000-3001"})
  void nothingSatisfiableIs416(String header) {
    assertTrue(ByteRanges.parse(header, 1000).unsatisfiable(), header);
  }

  @Test
  void anyRangeOfAnEmptyFileIsUnsatisfiable() {
    assertTrue(ByteRanges.parse("bytes=0-", 0).unsatisfiable());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=5-1", "bytes=abc", "bytes=1-x", "items=0-1", "bytes=", "bytes 0-1", "bytes=--1", "bytes=0-1,x"})
  void malformedHeadersAreIgnored(String header) {
    assertTrue(ByteRanges.parse(header, 1000).ignored(), header);
  }

  @Test
  void tooManyRangesAreIgnoredRatherThanServed() {
    StringBuilder header = new StringBuilder("bytes=");
    for (int i = 0; i <= ByteRanges.MAX_RANGES; i++) header.append(i * 10).append('-').append(i * 10 + 1).append(',');
    assertTrue(ByteRanges.parse(header.toString(), 100_000).ignored());
  }

  @Test
  void absentHeaderIsIgnored() {
    assertTrue(ByteRanges.parse(null, 10).ignored());
  }

  @Test
  void upTo64RangesAreHonouredAndMoreIgnored() {
    String[] specs = new String[ByteRanges.MAX_RANGES + 1];
    for (int i = 0; i < specs.length; i++) specs[i] = (i * 10) + "-" + (i * 10 + 4);
    String at64 = "bytes=" + String.join(",", Arrays.copyOf(specs, ByteRanges.MAX_RANGES));
    assertEquals(ByteRanges.MAX_RANGES, ByteRanges.parse(at64, 10_000).ranges().size());
    assertTrue(ByteRanges.parse("bytes=" + String.join(",", specs), 10_000).ignored(), "65 ranges: the whole file instead");
  }

  @Test
  void aRangeStartingAtTheSizeOrAnEmptySuffixIsUnsatisfiable() {
    assertTrue(ByteRanges.parse("bytes=1000-", 1000).unsatisfiable(), "the first byte past the end");
    assertEquals(List.of(new Range(999, 999)), ByteRanges.parse("bytes=999-", 1000).ranges(), "the last byte");
    assertTrue(ByteRanges.parse("bytes=-0", 1000).unsatisfiable(), "a suffix of no bytes: 416, not the whole file");
  }

  @Test
  void rangesSharingOneByteAreMergedAndOnceMergingAdjacentOnesToo() {
    assertEquals(List.of(new Range(0, 9)), ByteRanges.parse("bytes=5-9,0-5", 1000).ranges(), "byte 5 would be sent twice");
    assertEquals(List.of(new Range(0, 9)), ByteRanges.parse("bytes=0-5,3-7,8-9", 1000).ranges());
    assertEquals(List.of(new Range(5, 9), new Range(0, 4)), ByteRanges.parse("bytes=5-9,0-4", 1000).ranges(),
        "no overlap: the client's order is kept");
  }
}
