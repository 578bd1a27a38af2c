package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run as the server records it ({@code /api/deploys}): created with the plan before any BMC is
 * touched, each step's state sent as it changes, so that {@code deploy --resume} knows which
 * updates a BMC already accepted. A failed write is logged once and never stops a deployment.
 */
final class RunLog {
  private static final Logger log = LoggerFactory.getLogger(RunLog.class);
  /** A run not recorded (a dry run): every call does nothing. */
  static final RunLog NONE = new RunLog(null, null, Map.of());

  /** A step as the server recorded it. */
  record Recorded(String state, String before, String taskUri) {
    boolean finished() {
      return state.equals("done") || state.equals("failed") || state.equals("skipped");
    }

    boolean accepted() {
      return state.equals("sent") || state.equals("fetching") || state.equals("flashing") || state.equals("verifying");
    }
  }

  private final ServerApi server;
  private final String id;
  private final Map<String, Recorded> recorded;
  private final Map<String, String> lastState = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();

  private RunLog(ServerApi server, String id, Map<String, Recorded> recorded) {
    this.server = server;
    this.id = id;
    this.recorded = recorded;
  }

  /** Records a new run: one step per BMC and planned step, all pending. */
  static RunLog create(ServerApi server, DeployOptions options, Map<String, ServerApi.Image> images, List<Bmc> bmcs,
      Function<Bmc, List<Step>> plans) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Bmc bmc : bmcs) {
      List<Step> plan = plans.apply(bmc);
      for (int i = 0; i < plan.size(); i++) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("node", bmc.node());
        step.put("step", i);
        step.put("bmc", bmc.address());
        step.put("file", plan.get(i).image());
        step.put("expected", plan.get(i).expectedVersion());
        steps.add(step);
      }
    }
    Map<String, Object> run = new LinkedHashMap<>();
    if (options.image() != null) {
      run.put("image", options.image());
      run.put("sha256", images.get(options.image()).sha256());
    }
    run.put("options", Map.of("protocol", String.valueOf(options.protocol()), "parallel", options.parallel(), "targets", options.targets()));
    run.put("steps", steps);
    try {
      return new RunLog(server, server.createRun(run).path("id").asText(), Map.of());
    } catch (IOException e) {
      log.warn("the server does not record this run ({}); it cannot be resumed", e.getMessage());
      return NONE;
    }
  }

  /**
   * The run {@code id} as recorded, to continue it; refused (naming what changed) when the image
   * or its content differs from when the run started, or a BMC given is not in the run.
   */
  static RunLog resume(ServerApi server, String id, DeployOptions options, Map<String, ServerApi.Image> images, List<Bmc> bmcs) {
    JsonNode run;
    try {
      run = server.run(id);
    } catch (IOException e) {
      throw new DeployFailure("cannot resume run " + id + ": " + e.getMessage());
    }
    String image = run.path("image").asText(null);
    if (!Objects.equals(image, options.image())) {
      throw new DeployFailure("cannot resume run " + id + ": it deployed " + image + ", not " + options.image());
    }
    String sha = images.get(options.image()).sha256();
    if (!Objects.equals(run.path("sha256").asText(null), sha)) {
      throw new DeployFailure("cannot resume run " + id + ": image " + image + " changed since the run started (sha-256 "
          + run.path("sha256").asText("?") + ", now " + sha + ")");
    }
    Map<String, Recorded> recorded = new HashMap<>();
    for (JsonNode step : run.path("steps")) {
      recorded.put(key(step.path("node").asText(), step.path("step").asInt()),
          new Recorded(step.path("state").asText(), step.path("before").asText(null), step.path("taskUri").asText(null)));
    }
    for (Bmc bmc : bmcs) {
      if (!recorded.containsKey(key(bmc.node(), 0))) throw new DeployFailure("cannot resume run " + id + ": BMC " + bmc.address() + " is not in it");
    }
    RunLog log = new RunLog(server, id, Map.copyOf(recorded));
    try {
      server.runState(id, "running");
    } catch (IOException e) {
      throw new DeployFailure("cannot resume run " + id + ": " + e.getMessage());
    }
    return log;
  }

  String id() {
    return id;
  }

  /** The step as recorded when this run was resumed; null for a new run. */
  Recorded recorded(Bmc bmc, int step) {
    return recorded.get(key(bmc.node(), step));
  }

  /** Sends a step's new state; the same state twice is sent once (the task is polled every few seconds). */
  void step(Bmc bmc, int step, String state, Map<String, Object> fields) {
    if (id == null) return;
    String key = key(bmc.node(), step);
    if (fields.isEmpty() && state.equals(lastState.put(key, state))) return;
    lastState.put(key, state);
    Map<String, Object> change = new LinkedHashMap<>(fields);
    change.put("state", state);
    try {
      server.stepState(id, bmc.node(), step, change);
    } catch (IOException e) {
      if (warned.compareAndSet(false, true)) log.warn("cannot record run {} on the server: {}", id, e.getMessage());
    }
  }

  /** Says how the run ended: failed when any node failed, interrupted when stopped with nodes not started, else done. */
  void ended(List<BmcResult> results) {
    if (id == null) return;
    String state = results.stream().anyMatch(r -> r.outcome().failed()) ? "failed"
        : results.stream().anyMatch(r -> r.outcome() == BmcResult.Outcome.SKIPPED) ? "interrupted" : "done";
    try {
      server.runState(id, state);
    } catch (IOException e) {
      log.warn("cannot record the end of run {}: {}", id, e.getMessage());
    }
  }

  private static String key(String node, int step) {
    return node + "\n" + step;
  }
}
