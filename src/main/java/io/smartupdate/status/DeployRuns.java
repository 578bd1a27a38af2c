package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.smartupdate.core.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deploy runs in the status database: each run's plan and each step's state, written by the
 * deploying process through the API so that a run outlives it and can be resumed. Storage failures
 * are {@link Problem.Unavailable}; an unknown run is {@link Problem.NotFound}; a step moved out of
 * done or failed is {@link Problem.BadInput}.
 */
public interface DeployRuns {
  /**
   * Where a run stands: running until its process says how it ended; interrupted when stopped with
   * steps left. Orphaned is never stored: it is how a running run whose owner's lease ended is shown.
   */
  enum RunState {
    RUNNING, DONE, FAILED, INTERRUPTED, ORPHANED;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** A state as stored or written (orphaned is only ever shown). */
    public static RunState parse(String text) {
      return Arrays.stream(values()).filter(s -> s != ORPHANED && s.json().equals(text)).findFirst()
          .orElseThrow(() -> Problem.BadInput.field("state", "'" + text + "' is not a run state (running, done, failed, interrupted)"));
    }

    /** Running, unless the owner's lease ended before {@code now}: then orphaned, until a resume takes the run over. */
    RunState seenAt(Instant leaseUntil, Instant now) {
      return this == RUNNING && leaseUntil != null && leaseUntil.isBefore(now) ? ORPHANED : this;
    }
  }

  /** Who drives a run ({@code host:pid:random}) and until when, unless it renews. */
  record Lease(String owner, Instant until) {
    public Lease {
      if (owner == null || owner.isBlank()) throw Problem.BadInput.field("owner", "is required (host:pid:id of the deploying process)");
      if (owner.length() > 256) throw Problem.BadInput.field("owner", "is longer than 256 characters");
      Objects.requireNonNull(until, "until == null");
    }
  }

  /** Where one step stands. sent to verifying: the BMC accepted the update, so a resume follows it and never sends it again. */
  enum StepState {
    PENDING, SENT, FETCHING, FLASHING, VERIFYING, DONE, FAILED, SKIPPED;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static StepState parse(String text) {
      return Arrays.stream(values()).filter(s -> s.json().equals(text)).findFirst()
          .orElseThrow(() -> Problem.BadInput.field("state", "'" + text + "' is not a step state "
              + "(pending, sent, fetching, flashing, verifying, done, failed, skipped)"));
    }

    public boolean finished() {
      return this == DONE || this == FAILED || this == SKIPPED;
    }

    /** The BMC has the update: following it is all that is left. */
    public boolean accepted() {
      return this == SENT || this == FETCHING || this == FLASHING || this == VERIFYING;
    }
  }

  /** One update on one node, as planned and as it went; times are set by the store. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Step(String node, int step, String bmc, String componentId, String component, String file, String before, String after,
      String expected, StepState state, String result, String reason, Instant startedAt, Instant finishedAt, Long durationMs,
      String taskUri, String sha256) {
    public Step {
      if (node == null || node.isBlank()) throw Problem.BadInput.field("node", "is required");
      if (step < 0) throw Problem.BadInput.field("step", "must be 0 or more");
      if (bmc == null || bmc.isBlank()) throw Problem.BadInput.field("bmc", "is required (the BMC's address)");
      if (file == null || file.isBlank()) throw Problem.BadInput.field("file", "is required (the image's path in the repository)");
      Objects.requireNonNull(state, "state == null");
    }

    /** A step planned and not started. */
    public static Step planned(String node, int step, String bmc, String componentId, String component, String file, String expected,
        String sha256) {
      return new Step(node, step, bmc, componentId, component, file, null, null, expected, StepState.PENDING, null, null, null, null, null, null,
          sha256);
    }
  }

  /**
   * A run as created: what was asked (baseline and its digest, or image and its sha-256, the options),
   * the plan, and who drives it until when ({@code owner} and {@code leaseUntil} null for a run without a lease).
   */
  record Run(String id, Instant startedAt, Instant finishedAt, RunState state, String baseline, String image, String sha256,
      Map<String, Object> options, List<Step> steps, String owner, Instant leaseUntil, String baselineDigest) {
    public Run {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(startedAt, "startedAt == null");
      Objects.requireNonNull(state, "state == null");
      if ((baseline == null) == (image == null)) throw Problem.BadInput.field("baseline", "give a baseline or an image, one of them");
      options = Map.copyOf(Objects.requireNonNull(options, "options == null"));
      steps = List.copyOf(Objects.requireNonNull(steps, "steps == null"));
    }

    /** The run as shown at {@code now}: orphaned when running past its owner's lease. */
    public Run seenAt(Instant now) {
      return new Run(id, startedAt, finishedAt, state.seenAt(leaseUntil, now), baseline, image, sha256, options, steps, owner, leaseUntil,
          baselineDigest);
    }
  }

  /** A line of {@code GET /api/deploys}. */
  record Summary(String id, Instant startedAt, Instant finishedAt, RunState state, String baseline, String image, int nodes,
      Map<String, Integer> counts, String owner, Instant leaseUntil) {
    /** The line as shown at {@code now}: orphaned when running past its owner's lease. */
    public Summary seenAt(Instant now) {
      return new Summary(id, startedAt, finishedAt, state.seenAt(leaseUntil, now), baseline, image, nodes, counts, owner, leaseUntil);
    }
  }

  /** What a step's state change may carry besides the state; null fields are left as stored. */
  record Change(StepState state, String before, String after, String result, String reason, String taskUri) {
    public Change {
      Objects.requireNonNull(state, "state == null");
    }
  }

  void create(Run run);

  Optional<Run> get(String id);

  /** The newest runs first, at most {@code limit}. */
  List<Summary> list(int limit);

  /**
   * Moves one step; {@code at} stamps its start (leaving pending) and end (a finished state). With an
   * {@code owner}, only while that owner holds the run: another's is {@link Problem.Conflict}.
   */
  Step change(String id, String node, int step, Change change, String owner, Instant at);

  default Step change(String id, String node, int step, Change change, Instant at) {
    return change(id, node, step, change, null, at);
  }

  /** Sets the run's state, fenced by {@code owner} as {@link #change}; a finished state stamps {@code finishedAt}, running (a resume) clears it. */
  void finish(String id, RunState state, String owner, Instant at);

  default void finish(String id, RunState state, Instant at) {
    finish(id, state, null, at);
  }

  /**
   * Takes run {@code id} over for {@code owner} until {@code now + lease}, atomically: only when no one
   * holds it, its lease ended before {@code now}, or its owner is {@code replaces} (a predecessor known
   * dead) or {@code owner} itself. Otherwise {@link Problem.Conflict} naming the owner and the lease's end.
   */
  Lease takeOver(String id, String owner, String replaces, Instant now, Duration lease);

  /** Extends {@code owner}'s lease to {@code now + lease}; {@link Problem.Conflict} naming the new owner when it lost the run. */
  Lease renew(String id, String owner, Instant now, Duration lease);
}
