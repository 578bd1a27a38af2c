package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Phase;
import io.smartupdate.core.Problem;
import io.smartupdate.http.ApiError;
import io.smartupdate.http.HttpErrors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:01Z");

  private static StatusEvent parse(String json) {
    return EventParser.parse(json.getBytes(StandardCharsets.UTF_8), "10.0.0.9", NOW);
  }

  private static ApiError error(String json) {
    return HttpErrors.fromProblem(assertThrows(Problem.class, () -> parse(json)));
  }

  @Test
  void fullEventIsParsed() {
    StatusEvent e = parse("{\"node\":\"ilo-10.0.0.5\",\"phase\":\"downloading\",\"progress\":42,\"component\":\"ilo5_281.bin\","
        + "\"message\":\"fetching\",\"at\":\"2026-11-21T10:00:00Z\"}");
    assertEquals("ilo-10.0.0.5", e.node());
    assertEquals(Phase.DOWNLOADING, e.phase());
    assertEquals(42, e.progress());
    assertEquals("ilo5_281.bin", e.component());
    assertEquals("fetching", e.message());
    assertEquals(Instant.parse("2026-11-21T10:00:00Z"), e.at());
    assertEquals(NOW, e.receivedAt());
    assertEquals("10.0.0.9", e.source());
    assertEquals(0, e.id());
  }

  @Test
  void onlyNodeAndPhaseAreRequired() {
    StatusEvent e = parse("{\"node\":\"fe80::1\",\"phase\":\"complete\"}");
    assertNull(e.progress());
    assertNull(e.at());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"phase\":\"info\"}                                  | invalid_node     | node is required",
      "{\"node\":\"a b\",\"phase\":\"info\"}                 | invalid_node     | node must be 1-128",
      "{\"node\":7,\"phase\":\"info\"}                       | invalid_node     | node must be a string",
      "{\"node\":\"a\"}                                      | invalid_phase    | phase is required",
      "{\"node\":\"a\",\"phase\":\"dancing\"}                | invalid_phase    | inventory, downloading, verifying",
      "{\"node\":\"a\",\"phase\":\"info\",\"progress\":101}  | invalid_progress | progress must be an integer from 0 to 100",
      "{\"node\":\"a\",\"phase\":\"info\",\"progress\":4.5}  | invalid_progress | progress must be an integer",
      "{\"node\":\"a\",\"phase\":\"info\",\"progress\":\"5\"}| invalid_progress | progress must be an integer",
      "{\"node\":\"a\",\"phase\":\"info\",\"at\":\"today\"}  | invalid_at       | ISO-8601",
      "{\"node\":\"a\",\"phase\":\"info\",\"colour\":\"red\"}| invalid_colour   | colour is not a field",
      "[1,2]                                                 | invalid_body     | must be a JSON object",
      "{\"node\":                                            | invalid_body     | not valid JSON",
      "''                                                    | invalid_body     | empty"})
  void invalidInputNamesTheField(String json, String error, String detail) {
    ApiError e = error(json);
    assertEquals(400, e.status());
    assertEquals(error, e.error());
    assertTrue(e.detail().contains(detail), e.detail());
  }

  @Test
  void longNodeAndMessageAreRefused() {
    assertEquals("invalid_node", error("{\"node\":\"" + "n".repeat(129) + "\",\"phase\":\"info\"}").error());
    assertEquals("invalid_message", error("{\"node\":\"a\",\"phase\":\"info\",\"message\":\"" + "m".repeat(8193) + "\"}").error());
  }

  @Test
  void twoObjectsInOneBodyAreRefusedNotStoredAsTheFirst() {
    ApiError e = error("{\"node\":\"a\",\"phase\":\"info\"}{\"node\":\"b\",\"phase\":\"info\"}");
    assertEquals(400, e.status());
    assertEquals("invalid_body", e.error());
  }

  @Test
  void loneSurrogateEscapesAreRefusedNamingTheField() {
    ApiError e = error("{\"node\":\"a\",\"phase\":\"info\",\"message\":\"bad \\ud800 here\"}");
    assertEquals("invalid_message", e.error());
    assertEquals("ok \ud83d\ude00", parse("{\"node\":\"a\",\"phase\":\"info\",\"message\":\"ok \\ud83d\\ude00\"}").message(),
        "a surrogate pair is fine");
  }

  @Test
  void fieldsAtTheirLimitsAreAcceptedAndOnePastRefused() {
    String at = "{\"node\":\"a\",\"phase\":\"info\",";
    assertEquals(256, parse(at + "\"component\":\"" + "c".repeat(256) + "\"}").component().length());
    assertEquals("invalid_component", error(at + "\"component\":\"" + "c".repeat(257) + "\"}").error());
    assertEquals(8192, parse(at + "\"message\":\"" + "m".repeat(8192) + "\"}").message().length());
    assertEquals(0, parse(at + "\"progress\":0}").progress());
    assertEquals(100, parse(at + "\"progress\":100}").progress());
    assertEquals("invalid_progress", error(at + "\"progress\":-1}").error());
  }

  @Test
  void absentOrNullOptionalFieldsStayAbsent() {
    StatusEvent e = parse("{\"node\":\"a\",\"phase\":\"info\",\"message\":null}");
    assertNull(e.component(), "no component is not an empty one");
    assertNull(e.message());
  }

  @Test
  void leniencyRepairsOnlyUnpairedSurrogates() {
    assertNull(EventParser.repaired(null));
    assertEquals("plain", EventParser.repaired("plain"));
    assertEquals("ok \ud83d\ude00 and \ud83d\ude00", EventParser.repaired("ok \ud83d\ude00 and \ud83d\ude00"), "pairs are kept");
    assertEquals("a\ufffdb", EventParser.repaired("a\ud800b"), "a lone high surrogate");
    assertEquals("\ufffdx", EventParser.repaired("\udc00x"), "a lone low surrogate first");
    assertEquals("x\ufffd", EventParser.repaired("x\ud83d"), "a high surrogate at the end");
    assertEquals("\ud83d\ude00\ufffd\ufffdz", EventParser.repaired("\ud83d\ude00\ude00\ud800z"), "a pair, then two lone ones");
    assertEquals(-1, EventParser.unpairedSurrogate("\ud83d\ude00"));
    assertEquals(2, EventParser.unpairedSurrogate("\ud83d\ude00\ude00"));
  }

  /** Plain bodies take the streaming path and the rest the tree: either way the first field in order is the one named. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"node\":\"a b\",\"phase\":\"info\",\"progress\":500}                | invalid_node",
      "{\"node\":\"a b\",\"phase\":\"info\",\"progress\":[1]}                | invalid_node",
      "{\"node\":\"a\",\"phase\":\"dancing\",\"message\":7}                  | invalid_phase",
      "{\"message\":\"m\",\"progress\":500,\"phase\":\"info\",\"node\":\"a\"} | invalid_progress",
      "{\"node\":\"a\",\"phase\":\"info\",\"at\":5,\"message\":7}            | invalid_message",
      "{\"node\":\"a\",\"phase\":\"info\",\"progress\":9999999999}           | invalid_progress",
      "{\"node\":\"a\",\"phase\":\"info\",\"colour\":1,\"node\":\"a b\"}      | invalid_colour"})
  void theFirstBadFieldInOrderIsNamedWhateverTheBodyShape(String json, String error) {
    assertEquals(error, error(json).error());
  }

  @Test
  void aRepeatedFieldKeepsItsLastValueAsBefore() {
    StatusEvent e = parse("{\"node\":\"a\",\"phase\":\"info\",\"phase\":\"complete\",\"progress\":null}");
    assertEquals(Phase.COMPLETE, e.phase());
    assertNull(e.progress());
    assertEquals("invalid_body", error("{\"node\":\"a\",\"phase\":\"info\"} {}").error(), "trailing content");
  }
}
