package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Fingerprint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A run read back for {@code deploy --resume}: each step as recorded and, for a baseline run, each
 * node's plan as it was made. Refused, naming what changed, when what the run deploys is not what
 * the server has now (the image or its content, the baseline's components) or a BMC given is not in it.
 */
record ResumedRun(String id, String owner, Map<String, RunLog.Recorded> recorded, Map<String, List<Step>> plans, JsonNode run) {

  static ResumedRun read(ServerApi server, String id, DeployOptions options, List<Bmc> bmcs) {
    JsonNode run;
    try {
      run = server.run(id);
    } catch (IOException e) {
      throw refused(id, e instanceof ServerApi.Refused r ? r.detail() : e.getMessage());
    }
    String image = run.path("image").asText(null);
    String baseline = run.path("baseline").asText(null);
    if (image != null && !image.equals(options.image())) {
      throw refused(id, "it deployed " + image + ", not " + (options.image() == null ? "a baseline" : options.image()));
    }
    if (baseline != null) {
      if (options.image() != null) throw refused(id, "it deployed baseline " + baseline + ", not --image " + options.image());
      compareBaseline(server, id, baseline, run);
    }
    Map<String, RunLog.Recorded> recorded = new HashMap<>();
    Map<String, TreeMap<Integer, Step>> byBmc = new LinkedHashMap<>();
    for (JsonNode step : run.path("steps")) {
      recorded.put(key(step.path("node").asText(), step.path("step").asInt()),
          new RunLog.Recorded(step.path("state").asText(), step.path("before").asText(null), step.path("taskUri").asText(null)));
      byBmc.computeIfAbsent(step.path("bmc").asText(), b -> new TreeMap<>())
          .put(step.path("step").asInt(), new Step(step.path("file").asText(), step.path("expected").asText(null), List.of()));
    }
    for (Bmc bmc : bmcs) {
      if (!recorded.containsKey(key(bmc.node(), 0))) throw refused(id, "BMC " + bmc.address() + " is not in it");
    }
    Map<String, List<Step>> plans = new LinkedHashMap<>();
    if (baseline != null) byBmc.forEach((bmc, steps) -> plans.put(bmc, List.copyOf(steps.values())));
    return new ResumedRun(id, run.path("owner").asText(null), Map.copyOf(recorded), Map.copyOf(plans), run);
  }

  /** The baseline as served now against the fingerprint the run kept: any component added, removed or changed refuses the resume. */
  private static void compareBaseline(ServerApi server, String id, String baseline, JsonNode run) {
    JsonNode kept = run.path("options").path("components");
    if (!kept.isObject()) throw refused(id, "it was recorded without its baseline's fingerprint, so a change to baseline " + baseline + " could not be seen");
    Fingerprint before;
    Fingerprint now;
    try {
      Map<String, Fingerprint.Entry> entries = new TreeMap<>();
      kept.fields().forEachRemaining(e -> entries.put(e.getKey(), RedfishClient.JSON.convertValue(e.getValue(), Fingerprint.Entry.class)));
      before = new Fingerprint(entries);
      now = Fingerprint.of(server.baseline(baseline).baseline());
    } catch (IOException e) {
      throw refused(id, "baseline " + baseline + ": " + (e instanceof ServerApi.Refused r ? r.detail() : e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw refused(id, "its baseline fingerprint cannot be read: " + e.getMessage());
    }
    List<String> changes = now.changesSince(before);
    if (!changes.isEmpty()) {
      throw refused(id, "baseline " + baseline + " changed since the run started: " + String.join("; ", changes));
    }
  }

  /** Refuses when an image's content in the catalog is not what the run recorded for it. */
  void checkImages(Map<String, ServerApi.Image> images) {
    List<String> checks = new ArrayList<>();
    String image = run.path("image").asText(null);
    if (image != null) checkImage(image, run.path("sha256").asText(null), images);
    for (JsonNode step : run.path("steps")) {
      String sha = step.path("sha256").asText(null);
      if (sha != null && !checks.contains(step.path("file").asText())) {
        checks.add(step.path("file").asText());
        checkImage(step.path("file").asText(), sha, images);
      }
    }
  }

  private void checkImage(String image, String recordedSha, Map<String, ServerApi.Image> images) {
    ServerApi.Image now = images.get(image);
    String sha = now == null ? null : now.sha256();
    if (!Objects.equals(recordedSha, sha)) {
      throw refused(id, "image " + image + " changed since the run started (sha-256 " + (recordedSha == null ? "?" : recordedSha) + ", now " + sha + ")");
    }
  }

  static String key(String node, int step) {
    return node + "\n" + step;
  }

  private static DeployFailure refused(String id, String why) {
    return new DeployFailure("cannot resume run " + id + ": " + why);
  }
}
