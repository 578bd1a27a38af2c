package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes {@code RedfishEvents.parse(body, source, receivedAt)}: the input is the body a BMC
 * POSTs. Invariant: {@link Problem.BadInput}, or 1-{@link RedfishEvents#MAX_EVENTS} events that
 * satisfy {@link StatusEvent}'s rules, all for one valid node. Seeds: {@code
 * src/test/resources/io/smartupdate/status/RedfishEventsFuzzTestInputs/parse}.
 */
class RedfishEventsFuzzTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-21T10:00:00Z");
  /** A client address as the server sees it; an IPv6 scope becomes part of the node name. */
  private static final String SOURCE = "fe80::1%eth0";

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\"Events\"", "\"MessageId\"", "\"Message\"", "\"MessageArgs\"", "\"EventTimestamp\"",
      "\"OriginOfCondition\"", "\"@odata.id\"", "\"Context\"", "\"Update.1.0.UpdateInProgress\"",
      "\"TaskEvent.1.0.TaskProgressChanged\"", "\"TaskEvent.1.0.TaskCompletedOK\"", "\"2026-11-21T10:00:00+01:00\"",
      "\"NaN\"", "\"Infinity\"", "\"1e10\"", "\"50%\""})
  void parse(byte[] body) {
    List<StatusEvent> events;
    try {
      events = RedfishEvents.parse(body, SOURCE, RECEIVED);
    } catch (Problem.BadInput expected) {
      return;
    }
    assertNotNull(events);
    assertTrue(!events.isEmpty() && events.size() <= RedfishEvents.MAX_EVENTS, () -> events.size() + " events");
    String node = events.get(0).node();
    for (StatusEvent event : events) {
      assertEquals(0, event.id());
      assertTrue(NodeName.valid(event.node()), event.node());
      assertEquals(node, event.node());
      assertNotNull(event.phase());
      assertTrue(event.progress() == null || (event.progress() >= 0 && event.progress() <= 100));
      assertTrue(event.component() == null || event.component().length() <= EventParser.MAX_COMPONENT);
      assertTrue(event.message() != null && event.message().length() <= EventParser.MAX_MESSAGE);
      assertEquals(RECEIVED, event.receivedAt());
      assertEquals(SOURCE, event.source());
    }
  }
}
