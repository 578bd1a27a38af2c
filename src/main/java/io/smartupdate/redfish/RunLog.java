package io.smartupdate.redfish;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run as the server records it ({@code /api/deploys}): created with the plan and this process
 * as its owner before any BMC is touched, each step's state sent as it changes, so that {@code
 * deploy --resume} knows which updates a BMC already accepted. A failed write is logged once and
 * never stops a deployment; once another process took the run over, nothing more is written.
 */
final class RunLog {
  private static final Logger log = LoggerFactory.getLogger(RunLog.class);
  /** A run not recorded (a dry run): every call does nothing. */
  static final RunLog NONE = new RunLog(null, null, null, Map.of());

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
  private final String owner;
  private final Map<String, Recorded> recorded;
  private final Map<String, String> lastState = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile String lostTo;

  private RunLog(ServerApi server, String id, String owner, Map<String, Recorded> recorded) {
    this.server = server;
    this.id = id;
    this.owner = owner;
    this.recorded = recorded;
  }

  /** Records a new run owned by {@code owner}: one step per BMC and planned step, all pending; a baseline run keeps its fingerprint. */
  static RunLog create(ServerApi server, DeployOptions options, Map<String, ServerApi.Image> images, List<Bmc> bmcs,
      Function<Bmc, List<Step>> plans, BaselineRun baseline, String owner, Duration lease) {
    Map<String, String> componentByFile = new LinkedHashMap<>();
    if (baseline != null) baseline.fingerprint().components().forEach((component, entry) -> componentByFile.put(entry.file(), component));
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
        step.put("sha256", images.get(plan.get(i).image()).sha256());
        step.put("componentId", componentByFile.get(plan.get(i).image()));
        steps.add(step);
      }
    }
    Map<String, Object> run = new LinkedHashMap<>();
    Map<String, Object> asked = new LinkedHashMap<>(Map.of("protocol", String.valueOf(options.protocol()), "parallel", options.parallel(),
        "targets", options.targets()));
    if (options.image() != null) {
      run.put("image", options.image());
      run.put("sha256", images.get(options.image()).sha256());
    } else if (baseline != null) {
      run.put("baseline", baseline.name());
      run.put("baselineDigest", baseline.fingerprint().digest());
      asked.putAll(baseline.options());
      asked.put("components", baseline.fingerprint().components());
    }
    run.put("options", asked);
    run.put("owner", owner);
    run.put("leaseSeconds", lease.toSeconds());
    run.put("steps", steps);
    try {
      return new RunLog(server, server.runs().create(run).path("id").asText(), owner, Map.of());
    } catch (IOException e) {
      log.warn("the server does not record this run ({}); it cannot be resumed", e.getMessage());
      return NONE;
    }
  }

  /**
   * Takes the run {@code prior} read over for {@code owner} and marks it running again; refused
   * (naming the owner and the end of its lease) while another live process holds it.
   */
  static RunLog resume(ServerApi server, ResumedRun prior, String owner, Duration lease) {
    try {
      server.runs().takeOver(prior.id(), owner, RunLease.deadPredecessor(prior.owner()), lease);
      server.runs().state(prior.id(), "running", owner);
    } catch (ServerApi.Refused e) {
      throw new DeployFailure("cannot resume run " + prior.id() + ": " + e.detail());
    } catch (IOException e) {
      throw new DeployFailure("cannot resume run " + prior.id() + ": " + e.getMessage());
    }
    return new RunLog(server, prior.id(), owner, prior.recorded());
  }

  String id() {
    return id;
  }

  String owner() {
    return owner;
  }

  /** Another process ({@code holder}) took the run over: this one writes nothing more to it. */
  void lost(String holder) {
    lostTo = holder;
  }

  /** Who took the run over from this process, or null while it holds it. */
  String lostTo() {
    return lostTo;
  }

  /** The step as recorded when this run was resumed; null for a new run. */
  Recorded recorded(Bmc bmc, int step) {
    return recorded.get(ResumedRun.key(bmc.node(), step));
  }

  /** Sends a step's new state; the same state twice is sent once (the task is polled every few seconds). */
  void step(Bmc bmc, int step, String state, Map<String, Object> fields) {
    if (id == null || lostTo != null) return;
    String key = ResumedRun.key(bmc.node(), step);
    if (fields.isEmpty() && state.equals(lastState.put(key, state))) return;
    lastState.put(key, state);
    Map<String, Object> change = new LinkedHashMap<>(fields);
    change.put("state", state);
    change.put("owner", owner);
    try {
      server.runs().stepState(id, bmc.node(), step, change);
    } catch (IOException e) {
      if (warned.compareAndSet(false, true)) log.warn("cannot record run {} on the server: {}", id, e.getMessage());
    }
  }

  /**
   * Ends a node's steps from {@code from} on that are not finished, so that the run finishes: step
   * {@code from} failed with {@code failed} (skipped when null), the later ones skipped with {@code skipped}.
   */
  void unfinished(Bmc bmc, int steps, int from, String failed, String skipped) {
    for (int i = Math.max(0, from); i < steps; i++) {
      String key = ResumedRun.key(bmc.node(), i);
      String state = lastState.getOrDefault(key, recorded.containsKey(key) ? recorded.get(key).state() : "pending");
      if (state.equals("done") || state.equals("failed") || state.equals("skipped")) continue;
      if (i == from && failed != null) {
        step(bmc, i, "failed", Map.of("result", "failed", "reason", failed));
      } else {
        step(bmc, i, "skipped", Map.of("reason", skipped));
      }
    }
  }

  /** Says how the run ended: failed when any node failed, interrupted when stopped with nodes not started, else done. */
  void ended(List<BmcResult> results) {
    if (id == null || lostTo != null) return;
    String state = results.stream().anyMatch(r -> r.outcome().failed()) ? "failed"
        : results.stream().anyMatch(r -> r.outcome() == BmcResult.Outcome.SKIPPED) ? "interrupted" : "done";
    try {
      server.runs().state(id, state, owner);
    } catch (IOException e) {
      log.warn("cannot record the end of run {}: {}", id, e.getMessage());
    }
  }
}
