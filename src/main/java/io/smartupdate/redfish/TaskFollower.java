package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads where an accepted update stands, in whichever form the BMC gives it: a Task (TaskState,
 * PercentComplete, Messages), a TaskMonitor (202 while running), iLO's
 * {@code UpdateService.Oem.Hpe.State} and {@code FlashProgressPercent}, or nothing at all.
 */
final class TaskFollower {
  /** Where the update stands. {@code end} is null while it runs; SUCCESS, FAILED or UNKNOWN (the task is gone) at its end. */
  record State(String phase, Integer percent, End end, String message) {}

  enum End { SUCCESS, FAILED, UNKNOWN }

  private static final Set<String> TASK_FAILED = Set.of("Exception", "Killed", "Cancelled", "Aborted");

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
    if (body.has("TaskState") && body.hasNonNull("@odata.id")) task = body.get("@odata.id").asText();
    String location = accepted.location() == null ? null : RedfishClient.path(accepted.location());
    if (location != null) {
      if (task == null && location.contains("/Tasks/") && !location.contains("Monitor")) task = location;
      else if (!location.equals(task)) monitor = location;
    }
    if (task == null && body.path("TaskMonitor").isTextual()) monitor = body.get("TaskMonitor").asText();
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
        return response.body().has("TaskState") ? fromTask(response) : new State("flashing", null, null, null);
      }
      if (response.status() == 404 || response.status() == 410) return new State("complete", null, End.UNKNOWN, "the task monitor is gone");
      if (response.ok()) {
        return response.body().has("TaskState") ? fromTask(response) : new State("complete", 100, End.SUCCESS, null);
      }
      return new State("failed", null, End.FAILED, response.message());
    }
    if (discovery.hpeState()) return fromHpe(checked(client.get(discovery.updateService())));
    return new State("downloading", null, null, null);
  }

  /** A 401 mid-update: the BMC ended the session (a reset that kept its sockets, an expiry); log in again like after a reset. */
  private RedfishClient.Response checked(RedfishClient.Response response) {
    if (response.status() == 401) throw new RedfishClient.Gone("BMC " + client.bmc().address() + " ended the session (401)");
    return response;
  }

  private State fromTask(RedfishClient.Response response) {
    if (response.status() == 404 || response.status() == 410) return new State("complete", null, End.UNKNOWN, "the task is gone");
    JsonNode body = response.body();
    String state = body.path("TaskState").asText("Running");
    Integer percent = body.hasNonNull("PercentComplete") ? body.get("PercentComplete").asInt() : null;
    String message = messages(body);
    if (state.equals("Completed")) {
      boolean critical = body.path("TaskStatus").asText("OK").equals("Critical");
      return new State(critical ? "failed" : "complete", 100, critical ? End.FAILED : End.SUCCESS, message);
    }
    if (TASK_FAILED.contains(state)) return new State("failed", percent, End.FAILED, message == null ? "task " + state : message);
    return new State(percent != null && percent > 0 ? "flashing" : "downloading", percent, null, message);
  }

  private State fromHpe(RedfishClient.Response response) {
    JsonNode hpe = response.body().path("Oem").path("Hpe");
    String state = hpe.path("State").asText("Idle");
    Integer percent = hpe.hasNonNull("FlashProgressPercent") ? hpe.get("FlashProgressPercent").asInt() : null;
    String result = hpe.path("Result").path("MessageId").asText(null);
    switch (state.toLowerCase(Locale.ROOT)) {
      case "complete":
        return new State("complete", 100, End.SUCCESS, result);
      case "error":
        return new State("failed", percent, End.FAILED, result == null ? "iLO update state Error" : result);
      case "idle":
        // Idle before the BMC starts, and again after a reset that ended the flash.
        return hpeMoved ? new State("complete", null, End.UNKNOWN, "iLO is idle again") : new State("downloading", null, null, null);
      case "uploading":
        hpeMoved = true;
        return new State("downloading", percent, null, null);
      case "verifying":
        hpeMoved = true;
        return new State("verifying", percent, null, null);
      default: // Progressing, Writing, Updating...
        hpeMoved = true;
        return new State("flashing", percent, null, null);
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
