package io.smartupdate.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Phase;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BMC's Redfish EventService payload ({@code Events[]} with {@code MessageId}, {@code Message},
 * {@code MessageArgs}, {@code EventTimestamp}, {@code OriginOfCondition}; top-level
 * {@code Context}) as status events. Unknown message ids become {@code info}, never errors.
 */
final class RedfishEvents {
  static final int MAX_EVENTS = 100;

  /** Update and Task registry message keys (the part after "Registry.x.y."). */
  private static final Map<String, Phase> PHASES = Map.ofEntries(
      Map.entry("UpdateInProgress", Phase.FLASHING),
      Map.entry("TransferringToComponent", Phase.FLASHING),
      Map.entry("InstallingOnComponent", Phase.FLASHING),
      Map.entry("ApplyingOnComponent", Phase.FLASHING),
      Map.entry("VerifyingAtComponent", Phase.VERIFYING),
      Map.entry("UpdateSuccessful", Phase.COMPLETE),
      Map.entry("AwaitToActivate", Phase.REBOOTING),
      Map.entry("ActivateFailed", Phase.FAILED),
      Map.entry("ApplyFailed", Phase.FAILED),
      Map.entry("TransferFailed", Phase.FAILED),
      Map.entry("VerificationFailed", Phase.FAILED),
      Map.entry("InstallFailed", Phase.FAILED),
      Map.entry("UpdateFailed", Phase.FAILED),
      Map.entry("TaskStarted", Phase.DOWNLOADING),
      Map.entry("TaskProgressChanged", Phase.FLASHING),
      Map.entry("TaskCompletedOK", Phase.COMPLETE),
      Map.entry("TaskCompletedWarning", Phase.COMPLETE),
      Map.entry("TaskAborted", Phase.FAILED),
      Map.entry("TaskCancelled", Phase.FAILED),
      Map.entry("TaskRemoved", Phase.FAILED));

  private RedfishEvents() {}

  static List<StatusEvent> parse(byte[] body, String source, Instant receivedAt) {
    JsonNode root = Json.readTree(body);
    if (!root.isObject()) throw invalid("the payload must be a Redfish Event object with an Events array");
    JsonNode events = root.get("Events");
    if (events == null || !events.isArray() || events.isEmpty()) throw invalid("Events must be a non-empty array");
    if (events.size() > MAX_EVENTS) throw invalid("at most " + MAX_EVENTS + " Events per payload");
    String node = node(root.get("Context"), source);
    List<StatusEvent> result = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) result.add(event(events.get(i), i, node, source, receivedAt));
    return result;
  }

  private static StatusEvent event(JsonNode event, int index, String node, String source, Instant receivedAt) {
    if (!event.isObject()) throw invalid("Events[" + index + "] must be an object");
    JsonNode id = event.get("MessageId");
    if (id == null || !id.isTextual() || id.asText().isBlank()) throw invalid("Events[" + index + "].MessageId is required");
    String messageId = id.asText();
    String key = messageId.substring(messageId.lastIndexOf('.') + 1);
    Phase phase = PHASES.getOrDefault(key, Phase.INFO);
    List<String> args = new ArrayList<>();
    JsonNode messageArgs = event.get("MessageArgs");
    if (messageArgs != null && messageArgs.isArray()) messageArgs.forEach(a -> args.add(a.asText()));
    Integer progress = key.equals("TaskProgressChanged") && args.size() > 1 ? percent(args.get(1)) : null;
    if (phase == Phase.COMPLETE) progress = 100;
    String text = event.path("Message").asText("");
    String message = (text.isEmpty() ? "" : text + " ") + "[" + messageId + "]";
    if (message.length() > EventParser.MAX_MESSAGE) message = message.substring(0, EventParser.MAX_MESSAGE);
    return new StatusEvent(0, node, phase, progress, EventParser.repaired(component(key, args, event)), EventParser.repaired(message),
        timestamp(event.get("EventTimestamp")), receivedAt, source);
  }

  /** Update messages name the image first and the component second; otherwise the origin resource. */
  private static String component(String key, List<String> args, JsonNode event) {
    String component = null;
    if (!key.startsWith("Task") && !args.isEmpty()) component = args.size() > 1 ? args.get(1) : args.get(0);
    if (component == null || component.isBlank()) {
      String origin = event.path("OriginOfCondition").path("@odata.id").asText(null);
      component = origin != null ? origin : event.path("OriginOfCondition").isTextual() ? event.get("OriginOfCondition").asText() : null;
    }
    return component == null || component.length() > EventParser.MAX_COMPONENT ? null : component;
  }

  private static String node(JsonNode context, String source) {
    if (context != null && context.isTextual() && !context.asText().isBlank()) {
      String name = context.asText().trim();
      if (!NodeName.valid(name)) {
        throw invalid("Context '" + name + "' must be the node name (" + NodeName.RULE + ") set on the subscription");
      }
      return name;
    }
    return NodeName.fromAddress(source);
  }

  private static Integer percent(String value) {
    try {
      return Math.max(0, Math.min(100, (int) Math.round(Double.parseDouble(value.replace("%", "").trim()))));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant timestamp(JsonNode value) {
    if (value == null || !value.isTextual()) return null;
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return null; // a BMC with a bad clock still reports; receivedAt is always there
    }
  }

  private static Problem.BadInput invalid(String detail) {
    return new Problem.BadInput("invalid_redfish_event", detail);
  }
}
