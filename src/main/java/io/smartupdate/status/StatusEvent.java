package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Phase;
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
}
