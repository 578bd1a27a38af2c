package io.smartupdate.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Phase;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Turns a POSTed status body into a {@link StatusEvent}, or a 400 that names the field to fix. */
final class EventParser {
  static final int MAX_COMPONENT = 256;
  static final int MAX_MESSAGE = 8192;
  private static final Set<String> FIELDS = Set.of("node", "phase", "progress", "component", "message", "at");

  private EventParser() {}

  static StatusEvent parse(byte[] body, String source, Instant receivedAt) {
    JsonNode root = Json.readObject(body, "{\"node\":\"ilo-10.0.0.5\",\"phase\":\"downloading\"}");
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!FIELDS.contains(name)) throw invalid(name, "is not a field of a status event (fields: node, phase, progress, component, message, at)");
    }
    String node = NodeName.require("node", requiredText(root, "node"));
    String phaseName = requiredText(root, "phase");
    Phase phase = Phase.parse(phaseName);
    if (phase == null) throw invalid("phase", "'" + phaseName + "' is not one of " + Phase.allowed());
    return new StatusEvent(0, node, phase, progress(root.get("progress")), optionalText(root, "component", MAX_COMPONENT),
        optionalText(root, "message", MAX_MESSAGE), at(root.get("at")), receivedAt, source);
  }

  private static String requiredText(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) throw invalid(field, "is required");
    if (!value.isTextual()) throw invalid(field, "must be a string");
    return wellFormed(field, value.asText());
  }

  private static String optionalText(JsonNode root, String field, int max) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid(field, "must be a string");
    if (value.asText().length() > max) throw invalid(field, "is longer than " + max + " characters");
    return wellFormed(field, value.asText());
  }

  private static Integer progress(JsonNode value) {
    if (value == null || value.isNull()) return null;
    // canConvertToInt first: asLong() keeps only the low 64 bits of a larger integer (2^64 + 50 would be 50).
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > 100) {
      throw invalid("progress", "must be an integer from 0 to 100");
    }
    return value.asInt();
  }

  private static Instant at(JsonNode value) {
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid("at", "must be an ISO-8601 UTC time such as 2026-11-21T10:00:00Z");
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      throw invalid("at", "'" + value.asText() + "' is not an ISO-8601 UTC time such as 2026-11-21T10:00:00Z");
    }
  }

  /**
   * Refuses a lone UTF-16 surrogate (JSON allows the escape "\\ud800" alone): it cannot be stored
   * as UTF-8, so it would silently come back as '?'.
   */
  private static String wellFormed(String field, String text) {
    if (unpairedSurrogate(text) >= 0) {
      throw invalid(field, "contains an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF alone); send valid Unicode");
    }
    return text;
  }

  /** The index of the first unpaired surrogate in {@code text}, or -1. */
  static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code text} with every unpaired surrogate replaced by U+FFFD, for payloads taken leniently (Redfish). */
  static String repaired(String text) {
    if (text == null || unpairedSurrogate(text) < 0) return text;
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        b.append(c).append(text.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  static Problem.BadInput invalid(String field, String why) {
    return Problem.BadInput.field(field, why);
  }
}
