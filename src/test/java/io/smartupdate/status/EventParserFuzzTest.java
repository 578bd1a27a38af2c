package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzzes {@code EventParser.parse(body, source, receivedAt)}: the input is the POSTed body.
 * Invariant: {@link Problem.BadInput}, or an event that satisfies {@link StatusEvent}'s rules and
 * says what the body said (node, phase, progress 0-100 exactly as sent, field lengths).
 * Seeds: {@code src/test/resources/io/smartupdate/status/EventParserFuzzTestInputs/parse}.
 */
class EventParserFuzzTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-21T10:00:00Z");
  private static final String SOURCE = "10.0.0.5";
  /** An independent reading of the body, with exact numbers, to compare the parsed event with. */
  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\"node\"", "\"phase\"", "\"progress\"", "\"component\"", "\"message\"", "\"at\"", "\"downloading\"",
      "\"complete\"", "\"2026-11-21T10:00:00Z\"", "null", "18446744073709551616", "1e2", "100.0"})
  void parse(byte[] body) throws IOException {
    StatusEvent event;
    try {
      event = EventParser.parse(body, SOURCE, RECEIVED);
    } catch (Problem.BadInput expected) {
      return;
    }
    assertNotNull(event);
    assertEquals(0, event.id());
    assertTrue(NodeName.valid(event.node()), event.node());
    assertNotNull(event.phase());
    assertEquals(RECEIVED, event.receivedAt());
    assertEquals(SOURCE, event.source());
    assertTrue(event.component() == null || event.component().length() <= EventParser.MAX_COMPONENT);
    assertTrue(event.message() == null || event.message().length() <= EventParser.MAX_MESSAGE);

    JsonNode sent = EXACT.readTree(body);
    assertEquals(sent.get("node").asText(), event.node());
    assertEquals(sent.get("phase").asText(), event.phase().json());
    JsonNode progress = sent.get("progress");
    if (progress == null || progress.isNull()) {
      assertEquals(null, event.progress());
    } else {
      BigInteger value = progress.bigIntegerValue();
      assertTrue(value.signum() >= 0 && value.compareTo(BigInteger.valueOf(100)) <= 0,
          "progress " + progress + " was accepted as " + event.progress());
      assertEquals(value.intValueExact(), event.progress());
    }
  }
}
