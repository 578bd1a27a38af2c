package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One status event of one node. {@code id} is 0 until the store has made it durable; ids then
 * grow in commit order, which is what lets a live stream resume without gaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusEvent(long id, String node, Phase phase, Integer progress, String component, String message,
    Instant at, Instant receivedAt, String source) {
  public static final Pattern NODE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public StatusEvent {
    Objects.requireNonNull(node, "node == null");
    Objects.requireNonNull(phase, "phase == null");
    Objects.requireNonNull(receivedAt, "receivedAt == null");
    if (!NODE.matcher(node).matches()) throw new IllegalArgumentException("node '" + node + "' is not 1-128 of [A-Za-z0-9._:-]");
    if (progress != null && (progress < 0 || progress > 100)) throw new IllegalArgumentException("progress " + progress + " is not 0-100");
    if (id < 0) throw new IllegalArgumentException("id < 0: " + id);
  }

  public StatusEvent withId(long newId) {
    return new StatusEvent(newId, node, phase, progress, component, message, at, receivedAt, source);
  }
}
