package io.smartupdate.firmware;

import static io.smartupdate.firmware.Preconditions.Outcome.NOT_MODIFIED;
import static io.smartupdate.firmware.Preconditions.Outcome.PRECONDITION_FAILED;
import static io.smartupdate.firmware.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreconditionsTest {
  // Last-Modified: Sun, 01 Nov 2026 00:00:00 GMT (plus a fraction, which HTTP dates cannot carry)
  private static final ImageVersion V = new ImageVersion("a.bin", 10, 1_793_491_200_250_000_000L, 5, 7, 1);
  private static final String LAST_MODIFIED = "Sun, 01 Nov 2026 00:00:00 GMT";

  @Test
  void matchingIfNoneMatchIs304EvenWithWeakPrefix() {
    assertEquals(NOT_MODIFIED, Preconditions.evaluate(null, null, V.etag(), null, V));
    assertEquals(NOT_MODIFIED, Preconditions.evaluate(null, null, "\"x\", W/" + V.etag(), null, V));
    assertEquals(NOT_MODIFIED, Preconditions.evaluate(null, null, "*", null, V));
  }

  @Test
  void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
    assertEquals(PROCEED, Preconditions.evaluate(null, null, "\"other\"", LAST_MODIFIED, V));
  }

  @Test
  void ifModifiedSinceAtOrAfterLastModifiedIs304() {
    assertEquals(NOT_MODIFIED, Preconditions.evaluate(null, null, null, LAST_MODIFIED, V));
    assertEquals(PROCEED, Preconditions.evaluate(null, null, null, "Sat, 31 Oct 2026 23:59:59 GMT", V));
  }

  @Test
  void invalidDatesAreIgnored() {
    assertEquals(PROCEED, Preconditions.evaluate(null, "yesterday", null, "not a date", V));
  }

  @Test
  void ifMatchUsesStrongComparison() {
    assertEquals(PROCEED, Preconditions.evaluate(V.etag(), null, null, null, V));
    assertEquals(PRECONDITION_FAILED, Preconditions.evaluate("W/" + V.etag(), null, null, null, V));
    assertEquals(PRECONDITION_FAILED, Preconditions.evaluate("\"nope\"", null, null, null, V));
  }

  @Test
  void ifUnmodifiedSinceBeforeLastModifiedFails() {
    assertEquals(PRECONDITION_FAILED, Preconditions.evaluate(null, "Sat, 31 Oct 2026 00:00:00 GMT", null, null, V));
    assertEquals(PROCEED, Preconditions.evaluate(null, LAST_MODIFIED, null, null, V));
  }

  @Test
  void ifRangeNeedsAnExactStrongValidator() {
    assertTrue(Preconditions.ifRangeMatches(null, V));
    assertTrue(Preconditions.ifRangeMatches(V.etag(), V));
    assertTrue(Preconditions.ifRangeMatches(LAST_MODIFIED, V));
    assertFalse(Preconditions.ifRangeMatches("W/" + V.etag(), V));
    assertFalse(Preconditions.ifRangeMatches("\"old\"", V));
    assertFalse(Preconditions.ifRangeMatches("Sat, 31 Oct 2026 00:00:00 GMT", V));
    assertFalse(Preconditions.ifRangeMatches("garbage", V));
  }

  @Test
  void etagChangesWithEveryPartOfTheVersion() {
    assertFalse(V.etag().equals(new ImageVersion("a.bin", 11, V.mtimeNanos(), 5, 7, 1).etag()));
    assertFalse(V.etag().equals(new ImageVersion("a.bin", 10, V.mtimeNanos() + 1, 5, 7, 1).etag()));
    assertFalse(V.etag().equals(new ImageVersion("a.bin", 10, V.mtimeNanos(), 6, 7, 1).etag()));
    assertFalse(V.etag().equals(new ImageVersion("a.bin", 10, V.mtimeNanos(), 5, 8, 1).etag()));
  }
}
