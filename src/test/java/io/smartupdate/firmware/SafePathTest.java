package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smartupdate.core.Problem;
import io.smartupdate.http.ApiError;
import io.smartupdate.http.HttpErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathTest {
  @ParameterizedTest
  @CsvSource({
      "ilo5_310.bin, ilo5_310.bin",
      "hpe/ilo5_310.bin, hpe/ilo5_310.bin",
      "a%20b.bin, a b.bin",
      "caf%C3%A9.bin, café.bin",
      "v1..2.bin, v1..2.bin"})
  void decodesOrdinaryNames(String raw, String expected) {
    assertEquals(expected, SafePath.decode(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "../etc/passwd", "a/../../etc/passwd", "%2e%2e/etc/passwd", "%2E%2E%2Fetc%2Fpasswd", "..%2f..%2fetc%2fpasswd",
      "%252e%252e%252fetc%252fpasswd", "a/%2e/b", "./a", "a%00.bin", "a%00", "%0a", "..%5c..%5cwindows",
      "a\\b", "a%5cb", "/etc/passwd", "a//b", "C:/Windows/win.ini", "c:%5cboot.ini", "%c0%ae%c0%ae/etc/passwd",
      "%", "%2", "%zz", "caf\u00e9"})
  void refusesAnythingThatCouldLeaveOrConfuse(String raw) {
    ApiError e = HttpErrors.fromProblem(assertThrows(Problem.class, () -> SafePath.decode(raw)));
    assertEquals(400, e.status(), raw + " -> " + e.detail());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "dir/", ".hidden", "dir/.git/config"})
  void directoriesAndHiddenFilesAreNotFound(String raw) {
    assertEquals(404, HttpErrors.fromProblem(assertThrows(Problem.class, () -> SafePath.decode(raw))).status());
  }

  @Test
  void aRefusalQuotesThePathSafelyAndBriefly() {
    String detail = HttpErrors.fromProblem(assertThrows(Problem.class, () -> SafePath.decode("\u001b[2J\u007f/../x"))).detail();
    assertEquals("firmware path '?[2J?/../x' refused", detail.substring(0, detail.indexOf(':')), "control characters are not echoed");
    String longer = "a".repeat(300) + "/../x";
    String quoted = HttpErrors.fromProblem(assertThrows(Problem.class, () -> SafePath.decode(longer))).detail();
    assertEquals("firmware path '" + "a".repeat(200) + "' refused", quoted.substring(0, quoted.indexOf(':')), "at most 200 characters");
  }
}
