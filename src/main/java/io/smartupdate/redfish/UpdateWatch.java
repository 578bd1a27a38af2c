package io.smartupdate.redfish;

import io.smartupdate.core.Phase;
import java.time.Duration;
import java.util.Map;

/**
 * Watching one accepted update to its end: the BMC's task (or monitor, or iLO state) and the
 * server's record of the image's download, polled with back-off or at the pace the BMC asks, each
 * phase recorded on the step; a BMC that resets meanwhile is waited for. Bounded by --timeout.
 */
final class UpdateWatch {
  /** Watching a fetch in flight: often enough that its bytes move on screen. */
  private static final Duration IN_FLIGHT_POLL = Duration.ofSeconds(1);

  private final Bmc bmc;
  private final DeployRun run;
  private final DeployOptions options;
  private final Emitter emit;

  UpdateWatch(Bmc bmc, DeployRun run, Emitter emit) {
    this.bmc = bmc;
    this.run = run;
    this.options = run.options();
    this.emit = emit;
  }

  /** Follows the update of step {@code index} until it ends; {@code proof} is null where no fetch is watched (FTP, a resume). */
  TaskFollower.State follow(TaskFollower follower, FetchProof proof, Settling settling, int index) {
    long acceptedAt = System.nanoTime();
    long deadline = acceptedAt + options.timeout().toNanos();
    Pacing pacing = options.pacing();
    Duration pause = pacing.firstPoll();
    long lastSent = -1;
    while (true) {
      FetchProof.Fetch fetch = proof == null ? null : proof.read();
      if (fetch != null && fetch.sent() != lastSent && fetch.requests() > 0) {
        lastSent = fetch.sent();
        emit.bytes(fetch.sent(), fetch.size());
      }
      if (fetch != null && fetch.requests() == 0 && System.nanoTime() - acceptedAt > options.fetchTimeout().toNanos()) {
        return new TaskFollower.State(Phase.FAILED, null, TaskFollower.End.GONE, null); // the verdict names the fetch that never came
      }
      TaskFollower.State state;
      try {
        state = follower.tracked() ? follower.poll() : untracked(fetch);
      } catch (RedfishClient.Gone | RedfishClient.NoAnswer away) {
        settling.awaitReturn(away.getMessage());
        continue;
      }
      if (state.end() != null) return state;
      if (follower.tracked()) emit.event(state.phase(), state.percent(), state.message());
      String recorded = switch (state.phase()) {
        case DOWNLOADING -> "fetching";
        case FLASHING -> "flashing";
        case VERIFYING -> "verifying";
        default -> null;
      };
      if (recorded != null) run.log().step(bmc, index, recorded, Map.of());
      if (System.nanoTime() > deadline) {
        throw new DeployFailure("BMC " + bmc.address() + " did not finish the update within " + options.timeout().toSeconds() + " s (--timeout)");
      }
      Duration cap = fetch != null && fetch.inFlight() && IN_FLIGHT_POLL.compareTo(pacing.maxPoll()) < 0 ? IN_FLIGHT_POLL : pacing.maxPoll();
      Pause.sleep(state.pace() != null ? state.pace() : min(pause, cap));
      pause = min(pause.multipliedBy(3).dividedBy(2), pacing.maxPoll());
    }
  }

  /** No task, no monitor, no iLO state (a 204): the only evidence is the fetch, then the inventory. */
  private static TaskFollower.State untracked(FetchProof.Fetch fetch) {
    if (fetch == null || fetch.requests() > 0 && !fetch.inFlight()) return new TaskFollower.State(Phase.VERIFYING, null, TaskFollower.End.GONE, null);
    return new TaskFollower.State(Phase.DOWNLOADING, null, null, null);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
