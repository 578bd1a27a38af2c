package io.smartupdate.firmware;

import static io.smartupdate.firmware.Preconditions.Outcome.NOT_MODIFIED;
import static io.smartupdate.firmware.Preconditions.Outcome.PRECONDITION_FAILED;
import static io.smartupdate.firmware.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.undertow.util.DateUtils;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;

/**
 * Fuzzes the conditional headers: {@code Preconditions.evaluate(...)} and
 * {@code ifRangeMatches(...)}. Input, as UTF-8 lines: If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since, If-Range; a missing line or a line that is exactly {@code ~}
 * is an absent header. {@code $ETAG} and {@code $DATE} stand for the image's ETag and
 * Last-Modified, so that seeds can match. Invariant: never throws; a request with no conditions
 * proceeds; a weak or foreign tag never satisfies If-Range; the image's own ETag in If-None-Match
 * (and no failing If-Match) is 304. Seeds: {@code
 * src/test/resources/io/smartupdate/firmware/PreconditionsFuzzTestInputs/evaluate}.
 */
class PreconditionsFuzzTest {
  // Last-Modified: Sun, 01 Nov 2026 00:00:00 GMT (plus a fraction, which HTTP dates cannot carry)
  private static final ImageVersion V = new ImageVersion("a.bin", 10, 1_793_491_200_250_000_000L, 5, 7, 1);
  private static final String DATE = DateUtils.toDateString(new Date(V.modifiedSeconds() * 1000));

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"$ETAG", "$DATE", "W/", "*", "\"", ", ", "GMT", "Sun, 01 Nov 2026 00:00:00 GMT",
      "Sunday, 01-Nov-26 00:00:00 GMT", "Sun Nov  1 00:00:00 2026", ";length=1"})
  void evaluate(byte[] input) {
    String[] lines = Arrays.copyOf(new String(input, StandardCharsets.UTF_8).split("\n", 5), 5);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i] != null) lines[i] = lines[i].equals("~") ? null : lines[i].replace("$ETAG", V.etag()).replace("$DATE", DATE);
    }
    String ifMatch = lines[0];
    String ifUnmodifiedSince = lines[1];
    String ifNoneMatch = lines[2];
    String ifModifiedSince = lines[3];
    String ifRange = lines[4];

    Preconditions.Outcome outcome = Preconditions.evaluate(ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, V);
    assertNotNull(outcome);
    if (ifMatch == null && ifUnmodifiedSince == null && ifNoneMatch == null && ifModifiedSince == null) {
      assertEquals(PROCEED, outcome);
    }
    if (ifMatch == null && ifUnmodifiedSince == null) assertNotEquals(PRECONDITION_FAILED, outcome);
    if (ifNoneMatch == null && ifModifiedSince == null) assertNotEquals(NOT_MODIFIED, outcome);
    if (ifMatch != null && ifMatch.trim().equals(V.etag())) assertNotEquals(PRECONDITION_FAILED, outcome);
    if (ifNoneMatch != null && ifNoneMatch.trim().equals(V.etag()) && outcome != PRECONDITION_FAILED) {
      assertEquals(NOT_MODIFIED, outcome);
    }

    boolean rangeMatches = Preconditions.ifRangeMatches(ifRange, V);
    if (ifRange == null) assertTrue(rangeMatches);
    else if (ifRange.trim().startsWith("W/")) assertFalse(rangeMatches, ifRange);
    else if (ifRange.trim().startsWith("\"")) assertEquals(ifRange.trim().equals(V.etag()), rangeMatches, ifRange);

    for (String header : new String[] {ifMatch, ifNoneMatch}) {
      if (header != null) {
        Preconditions.matches(header, V.etag(), true);
        Preconditions.matches(header, V.etag(), false);
      }
    }
  }
}
