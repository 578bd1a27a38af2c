package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Phase;
import io.smartupdate.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * One status event of one node. {@code id} is 0 until the store has made it durable; ids then
 * grow in commit order, which is what lets a live stream resume without gaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusEvent(long id, String node, Phase phase, Integer progress, String component, String message,
    Instant at, Instant receivedAt, String source) {
  public StatusEvent {
    Objects.requireNonNull(node, "node == null");
    Objects.requireNonNull(phase, "phase == null");
    Objects.requireNonNull(receivedAt, "receivedAt == null");
    if (!NodeName.valid(node)) throw new IllegalArgumentException("node '" + node + "' is not " + NodeName.RULE);
    if (progress != null && (progress < 0 || progress > 100)) throw new IllegalArgumentException("progress " + progress + " is not 0-100");
    if (id < 0) throw new IllegalArgumentException("id < 0: " + id);
  }

  public StatusEvent withId(long newId) {
    return new StatusEvent(newId, node, phase, progress, component, message, at, receivedAt, source);
  }

  /**
   * The event as Jackson would write it (the same fields, order and text; a test holds the two
   * equal), without its bean introspection: every acknowledged post sends one.
   */
  byte[] json() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160 + (message == null ? 0 : message.length()));
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("id", id);
      json.writeStringField("node", node);
      json.writeStringField("phase", phase.json());
      if (progress != null) json.writeNumberField("progress", progress);
      if (component != null) json.writeStringField("component", component);
      if (message != null) json.writeStringField("message", message);
      if (at != null) json.writeStringField("at", at.toString());
      json.writeStringField("receivedAt", receivedAt.toString());
      if (source != null) json.writeStringField("source", source);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a status event as JSON", e); // a byte array does not fail
    }
    return out.toByteArray();
  }
}
