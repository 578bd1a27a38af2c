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
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedfishEventsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:01Z");

  private static List<StatusEvent> parse(String json) {
    return RedfishEvents.parse(json.getBytes(StandardCharsets.UTF_8), "10.1.2.3", NOW);
  }

  @Test
  void ilo5UpdateRegistryEventsMapToPhases() {
    // Shaped like an iLO 5 EventService POST during a SimpleUpdate.
    List<StatusEvent> events = parse("""
        {"@odata.type":"#Event.v1_0_0.Event","Id":"1","Name":"Events","Context":"ilo-10.0.0.5",
         "Events":[
          {"EventType":"Alert","EventId":"4c2e","Severity":"OK","MessageId":"Update.1.0.TransferringToComponent",
           "Message":"Image 'ilo5_310.bin' is being transferred to 'iLO 5'.","MessageArgs":["ilo5_310.bin","iLO 5"],
           "EventTimestamp":"2026-11-21T09:59:00+01:00","OriginOfCondition":{"@odata.id":"/redfish/v1/UpdateService"}},
          {"EventType":"Alert","MessageId":"Update.1.0.VerifyingAtComponent","MessageArgs":["ilo5_310.bin","iLO 5"]},
          {"EventType":"Alert","MessageId":"Update.1.1.UpdateSuccessful","Message":"Successfully updated 'iLO 5'.",
           "MessageArgs":["ilo5_310.bin","iLO 5"]},
          {"EventType":"Alert","MessageId":"Update.1.1.AwaitToActivate","MessageArgs":["ilo5_310.bin","iLO 5"]},
          {"EventType":"Alert","MessageId":"Update.1.0.ApplyFailed","MessageArgs":["U46.flash","System ROM"]}]}
        """);
    assertEquals(List.of(Phase.FLASHING, Phase.VERIFYING, Phase.COMPLETE, Phase.REBOOTING, Phase.FAILED),
        events.stream().map(StatusEvent::phase).toList());
    StatusEvent first = events.get(0);
    assertEquals("ilo-10.0.0.5", first.node());
    assertEquals("iLO 5", first.component());
    assertEquals(Instant.parse("2026-11-21T08:59:00Z"), first.at());
    assertTrue(first.message().contains("being transferred") && first.message().contains("[Update.1.0.TransferringToComponent]"));
    assertEquals(100, events.get(2).progress());
    assertEquals("System ROM", events.get(4).component());
  }

  // Every message key of the mapping, including those the samples above never send; the
  // registry prefix and version must not matter, only the key after the last dot.
  @ParameterizedTest
  @CsvSource({
      "Update.1.0.UpdateInProgress, FLASHING", "Update.1.0.TransferringToComponent, FLASHING",
      "Update.1.0.InstallingOnComponent, FLASHING", "Update.1.2.ApplyingOnComponent, FLASHING",
      "Update.1.0.VerifyingAtComponent, VERIFYING", "Update.1.1.UpdateSuccessful, COMPLETE",
      "Update.1.1.AwaitToActivate, REBOOTING", "Update.1.0.ActivateFailed, FAILED", "Update.1.0.ApplyFailed, FAILED",
      "Update.1.0.TransferFailed, FAILED", "Update.1.0.VerificationFailed, FAILED", "Update.1.0.InstallFailed, FAILED",
      "Update.1.0.UpdateFailed, FAILED", "TaskEvent.1.0.TaskStarted, DOWNLOADING",
      "TaskEvent.1.0.TaskProgressChanged, FLASHING", "TaskEvent.1.0.TaskCompletedOK, COMPLETE",
      "TaskEvent.1.0.TaskCompletedWarning, COMPLETE", "TaskEvent.1.0.TaskAborted, FAILED",
      "TaskEvent.1.0.TaskCancelled, FAILED", "TaskEvent.1.0.TaskRemoved, FAILED",
      "Vendor.9.9.UpdateSuccessfulish, INFO", "UpdateFailed, FAILED"})
  void everyMappedMessageIdGivesItsPhase(String messageId, Phase phase) {
    StatusEvent event = parse("{\"Context\":\"n1\",\"Events\":[{\"MessageId\":\"" + messageId + "\",\"MessageArgs\":[\"img.bin\",\"BMC\"]}]}").get(0);
    assertEquals(phase, event.phase(), messageId);
    assertEquals(phase == Phase.COMPLETE ? Integer.valueOf(100) : null, messageId.endsWith("TaskProgressChanged") ? null : event.progress(),
        "only completion sets progress 100: " + messageId);
    assertTrue(event.message().endsWith("[" + messageId + "]"), event.message());
  }

  @Test
  void taskRegistryProgressIsCarried() {
    // A DMTF/OpenBMC task monitor pushing TaskEvent messages.
    List<StatusEvent> events = parse("""
        {"Context":"obmc-rack3","Events":[
          {"MessageId":"TaskEvent.1.0.TaskStarted","MessageArgs":["0"],"OriginOfCondition":{"@odata.id":"/redfish/v1/TaskService/Tasks/0"}},
          {"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["0","65"]},
          {"MessageId":"TaskEvent.1.0.TaskCompletedOK","MessageArgs":["0"]},
          {"MessageId":"TaskEvent.1.0.TaskAborted","MessageArgs":["1"]},
          {"MessageId":"TaskEvent.1.0.TaskCancelled","MessageArgs":["2"]}]}
        """);
    assertEquals(List.of(Phase.DOWNLOADING, Phase.FLASHING, Phase.COMPLETE, Phase.FAILED, Phase.FAILED),
        events.stream().map(StatusEvent::phase).toList());
    assertEquals(65, events.get(1).progress());
    assertEquals("/redfish/v1/TaskService/Tasks/0", events.get(0).component());
  }

  @Test
  void unknownMessageIdsBecomeInfoAndTheSenderNamesTheNode() {
    // iDRAC's own registry ids are not in the Update/Task registries.
    List<StatusEvent> events = parse("{\"Events\":[{\"MessageId\":\"IDRAC.2.8.SUP0518\",\"Message\":\"Successfully downloaded the update package.\","
        + "\"EventTimestamp\":\"not a time\"}]}");
    assertEquals(Phase.INFO, events.get(0).phase());
    assertEquals("10.1.2.3", events.get(0).node());
    assertNull(events.get(0).at());
    assertEquals(NOW, events.get(0).receivedAt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "{}", "{\"Events\":[]}", "{\"Events\":{}}", "{\"Events\":[1]}", "{\"Events\":[{\"Message\":\"x\"}]}",
      "{\"Context\":\"bad name!\",\"Events\":[{\"MessageId\":\"a\"}]}", "not json"})
  void malformedPayloadsAre400WithDetail(String json) {
    ApiError e = HttpErrors.fromProblem(assertThrows(Problem.class, () -> parse(json)));
    assertEquals(400, e.status());
    assertTrue(e.detail().length() > 10, e.detail());
  }

  private static String events(int count) {
    return "{\"Context\":\"n1\",\"Events\":[" + String.join(",", Collections.nCopies(count, "{\"MessageId\":\"a.b\"}")) + "]}";
  }

  @Test
  void aPayloadMayCarryUpTo100Events() {
    assertEquals(100, parse(events(100)).size());
    ApiError e = HttpErrors.fromProblem(assertThrows(Problem.class, () -> parse(events(101))));
    assertTrue(e.detail().contains("at most 100"), e.detail());
  }

  @Test
  void progressNeedsTheSecondArgumentAsANumber() {
    List<StatusEvent> events = parse("""
        {"Context":"n1","Events":[
          {"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["0"]},
          {"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["0","about half"]},
          {"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["0"," 42.6% "]},
          {"MessageId":"TaskEvent.1.0.TaskProgressChanged","MessageArgs":["0","140"]}]}
        """);
    assertNull(events.get(0).progress(), "no percentage given");
    assertNull(events.get(1).progress(), "not a number: no progress rather than 0");
    assertEquals(43, events.get(2).progress());
    assertEquals(100, events.get(3).progress(), "clamped to 0-100");
  }

  @Test
  void anUpdateMessageWithOneArgumentNamesThatAsTheComponent() {
    StatusEvent event = parse("{\"Context\":\"n1\",\"Events\":[{\"MessageId\":\"Update.1.0.UpdateInProgress\",\"MessageArgs\":[\"iLO 5\"]}]}")
        .get(0);
    assertEquals("iLO 5", event.component());
  }

  @Test
  void aComponentOfUpTo256CharactersIsKeptALongerOneDropped() {
    String at256 = "c".repeat(256);
    assertEquals(at256, parse("{\"Context\":\"n1\",\"Events\":[{\"MessageId\":\"Update.1.0.UpdateInProgress\",\"MessageArgs\":[\"img\",\""
        + at256 + "\"]}]}").get(0).component());
    assertNull(parse("{\"Context\":\"n1\",\"Events\":[{\"MessageId\":\"Update.1.0.UpdateInProgress\",\"MessageArgs\":[\"img\",\""
        + at256 + "c\"]}]}").get(0).component());
  }

  @Test
  void aLoneSurrogateInABmcsTextIsRepairedNotRefused() {
    StatusEvent event = parse("{\"Context\":\"n1\",\"Events\":[{\"MessageId\":\"Update.1.0.UpdateInProgress\","
        + "\"Message\":\"bad \\ud800 text\",\"MessageArgs\":[\"img\",\"iLO \\udc00\"]}]}").get(0);
    assertEquals("bad \ufffd text [Update.1.0.UpdateInProgress]", event.message());
    assertEquals("iLO \ufffd", event.component());
  }
}
