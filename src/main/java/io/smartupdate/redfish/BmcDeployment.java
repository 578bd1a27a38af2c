package io.smartupdate.redfish;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Reboot;
import io.smartupdate.core.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node, start to end, as a plain sequence: login, discover, then for each step of its plan:
 * plan, start, follow, settle, verify. The {@link Verdict} has the last word on each step. Runs on
 * one thread; {@link #abort} may come from the shutdown hook.
 */
final class BmcDeployment {
  private static final Logger log = LoggerFactory.getLogger(BmcDeployment.class);
  /** How much longer than --fetch-timeout the BMC's hand-off session stays open unused: the fetch is judged first. */
  private static final Duration SESSION_SLACK = Duration.ofSeconds(60);

  /** How one step is done: the image, SimpleUpdate or push, the protocol, the Targets, the apply time. */
  private record Plan(Step step, ServerApi.Image image, boolean push, TransferProtocol protocol, ApplyTimeChoice applyTime) {
    /** Whether the image is active only once the host restarts. */
    boolean staged() {
      return step.needsHostReboot() || applyTime.applies() == ApplyTime.OnReset;
    }
  }

  /** A step flashed and waiting for the host's restart to be verified. */
  private record Staged(Plan plan, int index, Inventory first, TaskFollower.State end, FetchProof.Fetch fetch, String url) {}

  private final Bmc bmc;
  private final DeployRun run;
  private final DeployOptions options;
  private final Emitter emit;
  private final RedfishClient client;
  private final UpdateWatch watch;
  private volatile ServerApi.Ticket ticket;
  private volatile String subscription;
  private String before = "-";
  private String after = "-";
  private final List<Staged> staged = new ArrayList<>();
  private boolean hostRestarted;
  /** The step being worked on, and whether the login went through: what a failure leaves unfinished. */
  private int stepAt;
  private boolean loggedIn;

  BmcDeployment(Bmc bmc, DeployRun run) {
    this.bmc = bmc;
    this.run = run;
    this.options = run.options();
    List<Step> steps = run.steps(bmc);
    this.emit = new Emitter(bmc, run.server(), steps.isEmpty() ? "-" : steps.get(0).image(), run.listener());
    this.client = new RedfishClient(bmc, run.http(), options.requestTimeout(), options.timeout(), (pause, request, status) ->
        emit.event(Phase.INFO, null, "BMC busy (" + status + ") on " + request + "; retrying in " + pause.toSeconds() + " s as it asks"));
    this.watch = new UpdateWatch(bmc, run, emit);
  }

  BmcResult run() {
    int steps = run.steps(bmc).size();
    try {
      BmcResult result = deploy();
      if (!result.outcome().ok() && result.outcome() != BmcResult.Outcome.DRY_RUN) {
        // The steps after the one that ended the node never start; the run finishes with them skipped.
        String why = result.outcome() == BmcResult.Outcome.SKIPPED ? result.reason() : "not started: step " + (stepAt + 1) + " of the node failed";
        run.log().unfinished(bmc, steps, stepAt, result.outcome() == BmcResult.Outcome.SKIPPED ? null : result.reason(), why);
      }
      return result;
    } catch (DeployFailure | RedfishClient.Gone e) {
      String why = loggedIn ? "not started: step " + (stepAt + 1) + " of the node failed"
          : e instanceof RedfishClient.Gone || e instanceof RedfishClient.NoAnswer ? "not started: the BMC cannot be reached" : "not started: login refused";
      run.log().unfinished(bmc, steps, stepAt, e.getMessage(), why);
      return failed(e.getMessage());
    } catch (RuntimeException e) {
      log.warn("BMC {}: unexpected failure", bmc.address(), e);
      run.log().unfinished(bmc, steps, stepAt, "BMC " + bmc.address() + ": " + e, "not started: step " + (stepAt + 1) + " of the node failed");
      return failed("BMC " + bmc.address() + ": " + e);
    } finally {
      abort(false);
    }
  }

  private BmcResult failed(String reason) {
    emit.event(Phase.FAILED, null, reason);
    return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.FAILED, reason);
  }

  /**
   * Ends what this deployment holds: the event subscription, the Redfish session, and, unless
   * {@code leaveFetch} (an exit that leaves in-flight updates as they are), the hand-off session.
   */
  void abort(boolean leaveFetch) {
    String sub = subscription;
    subscription = null;
    if (sub != null) {
      try {
        client.delete(sub);
      } catch (RuntimeException e) {
        log.debug("BMC {}: deleting subscription {} failed: {}", bmc.address(), sub, e.getMessage());
      }
    }
    ServerApi.Ticket held = ticket;
    if (!leaveFetch) {
      ticket = null;
      if (held != null) run.server().close(held);
    }
    client.logout();
  }

  private BmcResult deploy() {
    emit.event(Phase.INFO, null, "logging in to " + bmc.address() + " as " + bmc.user());
    client.login();
    loggedIn = true;
    Discovery discovery = Discovery.read(client);
    if (options.subscribe() && !options.dryRun()) subscription = new UpdateStart(client, run.server(), emit).subscribe(discovery);
    BmcResult result = new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.SKIPPED, "nothing to apply: the plan has no step");
    List<Step> steps = run.steps(bmc);
    for (int index = 0; index < steps.size(); index++) {
      stepAt = index;
      Step step = steps.get(index);
      if (step.reboot() == Reboot.BMC && !options.dryRun() && run.gate().closed() == null) {
        // The host restarts before the BMC's own firmware, which resets the BMC and goes last.
        BmcResult restarted = restartHost(discovery, false);
        if (restarted != null && !restarted.outcome().ok()) return restarted;
      }
      emit.component(step.image());
      RunLog.Recorded recorded = run.log().recorded(bmc, index);
      if (recorded != null && (recorded.state().equals("done") || recorded.state().equals("failed"))) {
        emit.event(Phase.INFO, null, "step " + index + " (" + step.image() + ") was " + recorded.state() + " before the resume; not repeated");
        result = new BmcResult(bmc.address(), bmc.node(), before, after, recorded.state().equals("done") ? BmcResult.Outcome.UPDATED
            : BmcResult.Outcome.FAILED, step.image() + " " + recorded.state() + " before the resume of run " + run.log().id());
        if (!result.outcome().ok()) return result;
        continue;
      }
      Inventory first = Inventory.read(client, discovery.inventory());
      Plan plan = plan(discovery, step);
      before = first.version(plan.image().path());
      after = before;
      if (recorded != null && recorded.accepted()) {
        // The BMC took this update before the deploying process died: follow it, never send it again.
        if (recorded.before() != null) before = recorded.before();
        emit.event(Phase.INFO, null, "the BMC accepted " + step.image() + " before the resume (" + recorded.state() + "); following it, not sending it again");
        result = resumed(discovery, plan, index, first.recalled(plan.image().path(), recorded.before()), recorded.taskUri());
        if (!result.outcome().ok()) return result;
        continue;
      }
      emit.event(Phase.INVENTORY, null, "before: " + before);
      if (options.dryRun()) return dryRun(discovery, plan);
      String closed = run.gate().closed();
      if (closed != null) {
        emit.event(Phase.INFO, null, "not started: " + closed);
        run.log().step(bmc, index, "skipped", Map.of("reason", "not started: " + closed));
        return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.SKIPPED, "not started: " + closed);
      }
      result = step(discovery, plan, index, first);
      if (!result.outcome().ok()) return result;
    }
    if (!options.dryRun() && run.gate().closed() == null) {
      BmcResult restarted = restartHost(discovery, true);
      if (restarted != null) return restarted;
    }
    return result;
  }

  /**
   * One host restart per node, after its staged steps (or, with --reboot always, once even without
   * one), then each staged step judged by the inventory; null when there was nothing to do.
   */
  private BmcResult restartHost(Discovery discovery, boolean end) {
    boolean wanted = !staged.isEmpty() || end && options.reboot() == RebootPolicy.ALWAYS;
    if (hostRestarted || !wanted || options.reboot() == RebootPolicy.NEVER) return null;
    hostRestarted = true;
    List<Staged> waiting = List.copyOf(staged);
    staged.clear();
    Settling settling = new Settling(client, emit, options.pacing(), options.timeout(), discovery.updateService());
    String why = waiting.isEmpty() ? "--reboot always" : String.join(", ", waiting.stream().map(w -> w.plan().step().image()).toList());
    // The versions shown are this restart's doing: before it, the staged images are not active, whatever ran since.
    Inventory prior = waiting.isEmpty() ? null : readOrKeep(discovery, waiting.get(0).first());
    Inventory last;
    try {
      last = new HostReset(client, emit, settling, options.pacing(), options.timeout()).restart(discovery.systems(), discovery.inventory(),
          waiting.isEmpty() ? null : now -> waiting.stream().allMatch(w -> Verdict.shows(w.first(), now, w.plan().image().path(),
              w.plan().step().expectedVersion())), why);
    } catch (DeployFailure e) {
      for (Staged w : waiting) run.log().step(bmc, w.index(), "failed", Map.of("result", "failed", "reason", e.getMessage()));
      throw e;
    }
    BmcResult result = null;
    for (Staged w : waiting) {
      emit.component(w.plan().step().image());
      boolean early = Verdict.shows(w.first(), prior, w.plan().image().path(), w.plan().step().expectedVersion()); // applied before the restart
      result = record(w.index(), verdict(w.plan(), early ? w.first() : prior, last, w.end(), w.fetch(), w.url(), false));
      if (!result.outcome().ok()) return result;
    }
    return result;
  }

  /** One step: start, follow, settle, verify; the hand-off session lives as long as the step. */
  private BmcResult step(Discovery discovery, Plan plan, int index, Inventory first) {
    ticket = run.server().open(bmc, plan.protocol(), plan.image(), options.fetchTimeout().plus(SESSION_SLACK));
    try {
      RedfishClient.Response accepted = start(discovery, plan, first);
      TaskFollower follower = new TaskFollower(client, discovery, accepted);
      Map<String, Object> sent = new LinkedHashMap<>();
      sent.put("before", before);
      if (follower.uri() != null) sent.put("taskUri", follower.uri());
      run.log().step(bmc, index, "sent", sent);
      Settling settling = new Settling(client, emit, options.pacing(), options.timeout(), discovery.updateService());
      FetchProof proof = plan.protocol() == TransferProtocol.FTP ? null : new FetchProof(run.server(), ticket, plan.image());
      TaskFollower.State end = watch.follow(follower, proof, settling, index);
      FetchProof.Fetch fetch = proof == null ? null : proof.read();
      if (fetch != null && !fetch.complete()) fetch = proof.settled(Duration.ofMillis(100), 50);
      if (plan.staged()) return stage(discovery, plan, index, first, end, fetch, ticket.shown());
      return judge(discovery, plan, index, first, end, fetch, settling, ticket.shown());
    } finally {
      ServerApi.Ticket held = ticket;
      ticket = null;
      if (held != null) run.server().close(held);
    }
  }

  /** A step the BMC accepted before the resume: follow, settle, verify by the inventory; the fetch was the dead process's to watch. */
  private BmcResult resumed(Discovery discovery, Plan plan, int index, Inventory first, String taskUri) {
    Settling settling = new Settling(client, emit, options.pacing(), options.timeout(), discovery.updateService());
    TaskFollower.State end = watch.follow(new TaskFollower(client, discovery, taskUri), null, settling, index);
    boolean shown = Verdict.shows(first, readOrKeep(discovery, first), plan.image().path(), plan.step().expectedVersion());
    // Staged before the process died and the host not restarted since: it still waits for this run's restart.
    if (plan.staged() && !shown) return stage(discovery, plan, index, first, end, null, null);
    return judge(discovery, plan, index, first, end, null, settling, null);
  }

  /**
   * A step whose image applies at the host's restart: a failed fetch or task fails it now; else it
   * waits for the restart (recorded verifying), or with --reboot never ends done, staged, unverified.
   */
  private BmcResult stage(Discovery discovery, Plan plan, int index, Inventory first, TaskFollower.State end, FetchProof.Fetch fetch, String url) {
    Verdict verdict = Verdict.staged(evidence(plan, first, readOrKeep(discovery, first), end, fetch, url));
    if (!verdict.outcome().ok() || options.reboot() == RebootPolicy.NEVER) {
      return record(index, new Verdict(verdict.outcome(), verdict.outcome().ok() ? Verdict.STAGED + " (--reboot never): not verified"
          : verdict.reason(), verdict.before(), verdict.after()));
    }
    emit.event(Phase.VERIFYING, null, "staged; verified after the host reboot");
    run.log().step(bmc, index, "verifying", Map.of("reason", "staged; verified after the host reboot"));
    staged.add(new Staged(plan, index, first, end, fetch, url));
    before = verdict.before();
    after = verdict.after();
    return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.UPDATED, Verdict.STAGED);
  }

  /** The verdict on one step, recorded; {@code url} is the image URL shown, null for a resumed step (its fetch was watched before). */
  private BmcResult judge(Discovery discovery, Plan plan, int index, Inventory first, TaskFollower.State end, FetchProof.Fetch fetch,
      Settling settling, String url) {
    run.log().step(bmc, index, "verifying", Map.of());
    boolean fetched = fetch == null || fetch.complete();
    boolean mayStillApply = end.end() == TaskFollower.End.SUCCESS || end.end() == TaskFollower.End.GONE;
    Inventory last = fetched && mayStillApply
        ? settling.inventory(discovery.inventory(), now -> Verdict.shows(first, now, plan.image().path(), plan.step().expectedVersion()))
        : readOrKeep(discovery, first);
    return record(index, verdict(plan, first, last, end, fetch, url, true));
  }

  private Verdict.Evidence evidence(Plan plan, Inventory first, Inventory last, TaskFollower.State end, FetchProof.Fetch fetch, String url) {
    return new Verdict.Evidence(bmc.address(), bmc.host(), url == null ? "-" : url, end.end(), end.message(), fetch,
        first, last, plan.image().path(), plan.step().expectedVersion());
  }

  private Verdict verdict(Plan plan, Inventory first, Inventory last, TaskFollower.State end, FetchProof.Fetch fetch, String url, boolean resumable) {
    Verdict verdict = Verdict.judge(evidence(plan, first, last, end, fetch, url));
    return url == null && resumable ? verdict.resumed() : verdict;
  }

  /** The verdict shown and recorded as the step's end. */
  private BmcResult record(int index, Verdict verdict) {
    BmcResult result = verify(verdict);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("after", result.after());
    fields.put("result", result.reason().startsWith(Verdict.STAGED) ? "staged" : result.outcome().name().toLowerCase(Locale.ROOT));
    fields.put("reason", result.reason());
    run.log().step(bmc, index, result.outcome().ok() ? "done" : "failed", fields);
    return result;
  }

  /** SimpleUpdate where the BMC has it and shares a protocol with the server, else the push. */
  private Plan plan(Discovery discovery, Step step) {
    ServerApi.Image image = run.image(step);
    boolean push = discovery.pushOnly();
    if (discovery.simpleUpdate() == null && !push) {
      throw new DeployFailure("BMC " + bmc.address() + " offers neither SimpleUpdate nor a push URI in its UpdateService: it cannot be updated over Redfish");
    }
    if (!push) {
      try {
        return new Plan(step, image, false, discovery.protocol(bmc.address(), options.protocol(), run.ftpOn()),
            ApplyTimeChoice.of(step.applyTime(), discovery.applyTimes()));
      } catch (DeployFailure noneInCommon) {
        // OpenBMC: SimpleUpdate over TFTP only, but a push URI; the push needs no protocol in common.
        if (discovery.multipartPushUri() == null && discovery.httpPushUri() == null) throw noneInCommon;
      }
    }
    return new Plan(step, image, true, TransferProtocol.parse(run.server().api().getScheme()), ApplyTimeChoice.of(step.applyTime(), discovery.pushApplyTimes()));
  }

  private BmcResult dryRun(Discovery discovery, Plan plan) {
    List<String> targets = plan.step().targets();
    String how = plan.push() ? "push " + plan.image().path() + " to " + (discovery.multipartPushUri() != null ? discovery.multipartPushUri() : discovery.httpPushUri())
        : "POST " + discovery.simpleUpdate() + " ImageURI=" + run.server().publicHost(bmc) + " (one-time " + plan.protocol().scheme()
        + " URL for " + plan.image().path() + ") TransferProtocol=" + plan.protocol();
    String message = "would " + how + (targets.isEmpty() ? "" : " Targets=" + targets)
        + (plan.applyTime().sent() == null ? "" : " @Redfish.OperationApplyTime=" + plan.applyTime().sent());
    emit.event(Phase.INFO, null, message);
    return new BmcResult(bmc.address(), bmc.node(), before, after, BmcResult.Outcome.DRY_RUN, message);
  }

  private RedfishClient.Response start(Discovery discovery, Plan plan, Inventory first) {
    RedfishClient.Response accepted;
    ApplyTime applyTime = plan.applyTime().sent();
    if (plan.applyTime().note() != null) emit.event(Phase.INFO, null, plan.applyTime().note());
    if (plan.push()) {
      accepted = run.gate().pushing(() -> new PushUpload(client, run.server(), options.timeout()).push(discovery, ticket, plan.image(),
          plan.step().targets(), applyTime));
    } else {
      accepted = new UpdateStart(client, run.server(), emit).simpleUpdate(discovery, first, plan.protocol(), ticket.url(), plan.image(),
          plan.step().targets(), applyTime);
    }
    emit.event(Phase.DOWNLOADING, 0, plan.push() ? "pushed the image to the BMC" : "BMC accepted SimpleUpdate (" + accepted.status() + ")");
    return accepted;
  }

  /** The inventory after a step that failed outright, for the versions shown; the one before when the BMC does not answer. */
  private Inventory readOrKeep(Discovery discovery, Inventory first) {
    try {
      return Inventory.read(client, discovery.inventory());
    } catch (DeployFailure | RedfishClient.Gone e) {
      return first;
    }
  }

  private BmcResult verify(Verdict verdict) {
    before = verdict.before();
    after = verdict.after();
    String reason = verdict.reason();
    if (verdict.outcome().ok()) emit.event(Phase.COMPLETE, 100, reason + " (before " + before + ", after " + after + ")");
    else emit.event(Phase.FAILED, null, reason);
    return new BmcResult(bmc.address(), bmc.node(), before, after, verdict.outcome(), reason);
  }
}
