package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.Fingerprint;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
      run = server.runs().get(id);
    } catch (IOException e) {
      throw refused(id, e instanceof ServerApi.Refused r ? r.detail() : e.getMessage());
    }
    String image = run.path("image").asText(null);
    String baseline = run.path("baseline").asText(null);
    if (image != null && !image.equals(options.image())) {
      throw refused(id, "it deployed " + image + ", not " + (options.image() == null ? "a baseline" : options.image()));
    }
    Map<String, Fingerprint.Entry> byFile = new HashMap<>();
    if (baseline != null) {
      if (options.image() != null) throw refused(id, "it deployed baseline " + baseline + ", not --image " + options.image());
      compareBaseline(server, id, baseline, run).components().values().forEach(e -> byFile.put(e.file(), e));
      hops(server, id, run, byFile);
    }
    Map<String, RunLog.Recorded> recorded = new HashMap<>();
    Map<String, TreeMap<Integer, Step>> byBmc = new LinkedHashMap<>();
    for (JsonNode step : run.path("steps")) {
      recorded.put(key(step.path("node").asText(), step.path("step").asInt()),
          new RunLog.Recorded(step.path("state").asText(), step.path("before").asText(null), step.path("taskUri").asText(null)));
      byBmc.computeIfAbsent(step.path("bmc").asText(), b -> new TreeMap<>())
          .put(step.path("step").asInt(), planned(step, byFile));
    }
    for (Bmc bmc : bmcs) {
      if (!recorded.containsKey(key(bmc.node(), 0))) throw refused(id, "BMC " + bmc.address() + " is not in it");
    }
    Map<String, List<Step>> plans = new LinkedHashMap<>();
    if (baseline != null) byBmc.forEach((bmc, steps) -> plans.put(bmc, List.copyOf(steps.values())));
    return new ResumedRun(id, run.path("owner").asText(null), Map.copyOf(recorded), Map.copyOf(plans), run);
  }

  /**
   * A recorded step as the deployer runs it; a baseline run's step takes its apply time and reboot
   * from the component its file is (an {@code --image} step has neither).
   */
  private static Step planned(JsonNode step, Map<String, Fingerprint.Entry> byFile) {
    Fingerprint.Entry component = byFile.get(step.path("file").asText());
    String expected = step.path("expected").asText(null);
    if (component == null) return new Step(step.path("file").asText(), expected, List.of());
    return new Step(step.path("file").asText(), expected, List.of(), component.applyTime(), component.reboot());
  }

  /** Adds the repository's components for steps whose file is not the baseline's: intermediate versions from other baselines. */
  private static void hops(ServerApi server, String id, JsonNode run, Map<String, Fingerprint.Entry> byFile) {
    boolean missing = false;
    for (JsonNode step : run.path("steps")) missing |= !byFile.containsKey(step.path("file").asText());
    if (!missing) return;
    try {
      for (Component c : server.repositoryComponents()) {
        byFile.putIfAbsent(c.file(), new Fingerprint.Entry(c.version(), c.sha256(), c.file(), c.applyTime(), c.reboot()));
      }
    } catch (IOException e) {
      throw refused(id, "the repository's components cannot be read: " + e.getMessage());
    }
  }

  /** The baseline as served now against the fingerprint the run kept (answered): any component added, removed or changed refuses the resume. */
  private static Fingerprint compareBaseline(ServerApi server, String id, String baseline, JsonNode run) {
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
    return before;
  }

  /** Refuses when an image's content in the catalog is not what the run recorded for it. */
  void checkImages(Map<String, ServerApi.Image> images) {
    String image = run.path("image").asText(null);
    if (image != null) checkImage(image, run.path("sha256").asText(null), images);
    Set<String> checked = new HashSet<>();
    for (JsonNode step : run.path("steps")) {
      String sha = step.path("sha256").asText(null);
      if (sha != null && checked.add(step.path("file").asText())) checkImage(step.path("file").asText(), sha, images);
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
