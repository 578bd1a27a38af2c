package io.smartupdate.status;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Phase;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a POSTed status body into a {@link StatusEvent}, or a 400 that names the field to fix. */
final class EventParser {
  static final int MAX_COMPONENT = 256;
  static final int MAX_MESSAGE = 8192;
  private static final Set<String> FIELDS = Set.of("node", "phase", "progress", "component", "message", "at");

  private EventParser() {}

  static StatusEvent parse(byte[] body, String source, Instant receivedAt) {
    Fields fields = Plain.read(body);
    if (fields == null) fields = tree(body); // anything unusual: the tree says exactly what is wrong
    String node = NodeName.require("node", required("node", fields.text("node")));
    String phaseName = required("phase", fields.text("phase"));
    Phase phase = Phase.parse(phaseName);
    if (phase == null) throw invalid("phase", "'" + phaseName + "' is not one of " + Phase.allowed());
    Integer progress = fields.progress();
    if (progress != null && (progress < 0 || progress > 100)) throw badProgress();
    return new StatusEvent(0, node, phase, progress, optional("component", fields.text("component"), MAX_COMPONENT),
        optional("message", fields.text("message"), MAX_MESSAGE), at(fields.at()), receivedAt, source);
  }

  /** A body's fields, read in the order their errors are reported; a wrong type throws as it is read. */
  private interface Fields {
    /** The field's text, null when absent or null. */
    String text(String field);

    Integer progress();

    String at();
  }

  private static Fields tree(byte[] body) {
    JsonNode root = Json.readObject(body, "{\"node\":\"ilo-10.0.0.5\",\"phase\":\"downloading\"}");
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!FIELDS.contains(name)) throw invalid(name, "is not a field of a status event (fields: node, phase, progress, component, message, at)");
    }
    return new Fields() {
      @Override
      public String text(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw invalid(field, "must be a string");
        return value.asText();
      }

      @Override
      public Integer progress() {
        JsonNode value = root.get("progress");
        if (value == null || value.isNull()) return null;
        // canConvertToInt first: asLong() keeps only the low 64 bits of a larger integer (2^64 + 50 would be 50).
        if (!value.isIntegralNumber() || !value.canConvertToInt()) throw badProgress();
        return value.asInt();
      }

      @Override
      public String at() {
        JsonNode value = root.get("at");
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw invalid("at", "must be an ISO-8601 UTC time such as 2026-11-21T10:00:00Z");
        return value.asText();
      }
    };
  }

  /**
   * A body read in one pass with Jackson's streaming parser, without building a tree: the shape
   * nearly every post has. {@link #read} returns null for anything else (an unknown or repeated
   * field, another value type, trailing content, malformed JSON), which the tree then reports.
   */
  private static final class Plain implements Fields {
    private static final List<String> ORDER = List.of("node", "phase", "progress", "component", "message", "at");
    private static final int PROGRESS = 2;
    private static final int AT = 5;
    private final String[] texts = new String[ORDER.size()];
    private Integer progress;

    static Plain read(byte[] body) {
      Plain plain = new Plain();
      int seen = 0;
      try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) return null;
        for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_OBJECT; ) {
          if (token != JsonToken.FIELD_NAME) return null;
          int field = ORDER.indexOf(parser.currentName());
          if (field < 0 || (seen & (1 << field)) != 0) return null;
          seen |= 1 << field;
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_NULL) continue;
          if (field == PROGRESS && value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            plain.progress = parser.getIntValue();
          } else if (field != PROGRESS && value == JsonToken.VALUE_STRING) {
            plain.texts[field] = parser.getText();
          } else {
            return null;
          }
        }
        return parser.nextToken() == null ? plain : null;
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String text(String field) {
      return texts[ORDER.indexOf(field)];
    }

    @Override
    public Integer progress() {
      return progress;
    }

    @Override
    public String at() {
      return texts[AT];
    }
  }

  private static String required(String field, String value) {
    if (value == null) throw invalid(field, "is required");
    return wellFormed(field, value);
  }

  private static String optional(String field, String value, int max) {
    if (value == null) return null;
    if (value.length() > max) throw invalid(field, "is longer than " + max + " characters");
    return wellFormed(field, value);
  }

  private static Problem.BadInput badProgress() {
    return invalid("progress", "must be an integer from 0 to 100");
  }

  private static Instant at(String text) {
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid("at", "'" + text + "' is not an ISO-8601 UTC time such as 2026-11-21T10:00:00Z");
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
