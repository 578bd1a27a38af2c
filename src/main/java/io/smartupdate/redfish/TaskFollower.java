package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads where an accepted update stands, in whichever form the BMC gives it: a Task (TaskState,
 * PercentComplete, Messages), a TaskMonitor (202 while running), iLO's
 * {@code UpdateService.Oem.Hpe.State} and {@code FlashProgressPercent}, or nothing at all.
 */
final class TaskFollower {
  /**
   * Where the update stands. {@code end} is null while it runs; {@code pace} is the BMC's own
   * Retry-After on a task monitor, the pause it asks for before the next poll, or null.
   */
  record State(Phase phase, Integer percent, End end, String message, Duration pace) {
    State(Phase phase, Integer percent, End end, String message) {
      this(phase, percent, end, message, null);
    }
  }

  /** How an update's task ended, as the BMC tells it; GONE when the task or monitor vanished (or there never was one). */
  enum End {
    SUCCESS, FAILED, GONE, CANCELLED, SUSPENDED, INTERRUPTED, USER_INTERVENTION;

    /** From a Redfish TaskState that ends the following: null while the task runs. */
    static End of(String taskState) {
      return switch (taskState) {
        case "Completed" -> SUCCESS;
        case "Exception", "Killed", "Aborted" -> FAILED;
        case "Cancelled", "Cancelling" -> CANCELLED;
        case "Suspended" -> SUSPENDED;
        case "Interrupted" -> INTERRUPTED;
        case "UserIntervention" -> USER_INTERVENTION;
        default -> null;
      };
    }
  }

  private final RedfishClient client;
  private final Discovery discovery;
  private volatile String task;
  private volatile String monitor;
  private boolean hpeMoved;

  /** From SimpleUpdate's or the push's answer. */
  TaskFollower(RedfishClient client, Discovery discovery, RedfishClient.Response accepted) {
    this.client = client;
    this.discovery = discovery;
    JsonNode body = accepted.body();
    if (body.has("TaskState") && body.hasNonNull("@odata.id")) task = client.local(body.get("@odata.id").asText());
    String location = client.local(accepted.location());
    if (location != null) {
      if (task == null && location.contains("/Tasks/") && !location.contains("Monitor")) task = location;
      else if (!location.equals(task)) monitor = location;
    }
    if (task == null && body.path("TaskMonitor").isTextual()) monitor = client.local(body.get("TaskMonitor").asText());
  }

  /** Resumes following an update the BMC accepted earlier, from the task or monitor URI recorded then (null: none). */
  TaskFollower(RedfishClient client, Discovery discovery, String recorded) {
    this.client = client;
    this.discovery = discovery;
    if (recorded != null && recorded.contains("/Tasks/") && !recorded.contains("Monitor")) task = recorded;
    else monitor = recorded;
  }

  /** The task or monitor URI followed, for the run's record; null when there is none. */
  String uri() {
    return task != null ? task : monitor;
  }

  /** True when the BMC said how the update goes: a task, a monitor, or iLO's state. */
  boolean tracked() {
    return task != null || monitor != null || discovery.hpeState();
  }

  State poll() {
    if (task != null) return fromTask(checked(client.get(task)));
    if (monitor != null) {
      RedfishClient.Response response = checked(client.get(monitor));
      if (response.status() == 202) {
        State running = response.body().has("TaskState") ? fromTask(response) : new State(Phase.FLASHING, null, null, null);
        return new State(running.phase(), running.percent(), running.end(), running.message(), response.retryAfter());
      }
      if (response.status() == 404 || response.status() == 410) return new State(Phase.VERIFYING, null, End.GONE, "the task monitor is gone");
      if (response.ok()) {
        return response.body().has("TaskState") ? fromTask(response) : new State(Phase.COMPLETE, 100, End.SUCCESS, null);
      }
      return new State(Phase.FAILED, null, End.FAILED, response.message());
    }
    if (discovery.hpeState()) return fromHpe(checked(client.get(discovery.updateService())));
    return new State(Phase.DOWNLOADING, null, null, null);
  }

  /** A 401 mid-update: the BMC ended the session (a reset that kept its sockets, an expiry); log in again like after a reset. */
  private RedfishClient.Response checked(RedfishClient.Response response) {
    if (response.status() == 401) throw new RedfishClient.Gone("BMC " + client.bmc().address() + " ended the session (401)");
    return response;
  }

  private State fromTask(RedfishClient.Response response) {
    if (response.status() == 404 || response.status() == 410) return new State(Phase.VERIFYING, null, End.GONE, "the task is gone");
    JsonNode body = response.body();
    String state = body.path("TaskState").asText("Running");
    Integer percent = body.hasNonNull("PercentComplete") ? body.get("PercentComplete").asInt() : null;
    String message = messages(body);
    End end = End.of(state);
    if (end == End.SUCCESS && body.path("TaskStatus").asText("OK").equals("Critical")) end = End.FAILED;
    if (end == End.SUCCESS) return new State(Phase.COMPLETE, 100, end, message);
    if (end != null) return new State(Phase.FAILED, percent, end, message == null ? "task " + state : message);
    return new State(percent != null && percent > 0 ? Phase.FLASHING : Phase.DOWNLOADING, percent, null, message);
  }

  private State fromHpe(RedfishClient.Response response) {
    JsonNode hpe = response.body().path("Oem").path("Hpe");
    String state = hpe.path("State").asText("Idle");
    Integer percent = hpe.hasNonNull("FlashProgressPercent") ? hpe.get("FlashProgressPercent").asInt() : null;
    String result = hpe.path("Result").path("MessageId").asText(null);
    switch (state.toLowerCase(Locale.ROOT)) {
      case "complete":
        return new State(Phase.COMPLETE, 100, End.SUCCESS, result);
      case "error":
        return new State(Phase.FAILED, percent, End.FAILED, result == null ? "iLO update state Error" : result);
      case "idle":
        // Idle before the BMC starts, and again after a reset that ended the flash.
        return hpeMoved ? new State(Phase.VERIFYING, null, End.GONE, "iLO is idle again") : new State(Phase.DOWNLOADING, null, null, null);
      case "uploading":
        hpeMoved = true;
        return new State(Phase.DOWNLOADING, percent, null, null);
      case "verifying":
        hpeMoved = true;
        return new State(Phase.VERIFYING, percent, null, null);
      default: // Progressing, Writing, Updating...
        hpeMoved = true;
        return new State(Phase.FLASHING, percent, null, null);
    }
  }

  /** The task's messages, joined: the BMC's own words for the operator. */
  static String messages(JsonNode body) {
    List<String> texts = new ArrayList<>();
    for (JsonNode message : body.path("Messages")) {
      String text = message.path("Message").asText(message.path("MessageId").asText(""));
      if (!text.isBlank()) texts.add(text);
    }
    return texts.isEmpty() ? null : String.join("; ", texts);
  }
}
