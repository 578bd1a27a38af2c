package io.smartupdate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.smartupdate.core.Problem;
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
  /** Where a run stands: running until its process says how it ended; interrupted when stopped with steps left. */
  enum RunState {
    RUNNING, DONE, FAILED, INTERRUPTED;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static RunState parse(String text) {
      return Arrays.stream(values()).filter(s -> s.json().equals(text)).findFirst()
          .orElseThrow(() -> Problem.BadInput.field("state", "'" + text + "' is not a run state (running, done, failed, interrupted)"));
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
      String taskUri) {
    public Step {
      if (node == null || node.isBlank()) throw Problem.BadInput.field("node", "is required");
      if (step < 0) throw Problem.BadInput.field("step", "must be 0 or more");
      if (bmc == null || bmc.isBlank()) throw Problem.BadInput.field("bmc", "is required (the BMC's address)");
      if (file == null || file.isBlank()) throw Problem.BadInput.field("file", "is required (the image's path in the repository)");
      Objects.requireNonNull(state, "state == null");
    }

    /** A step planned and not started. */
    public static Step planned(String node, int step, String bmc, String componentId, String component, String file, String expected) {
      return new Step(node, step, bmc, componentId, component, file, null, null, expected, StepState.PENDING, null, null, null, null, null, null);
    }
  }

  /** A run as created: what was asked (baseline or image and its sha-256, the options) and the plan. */
  record Run(String id, Instant startedAt, Instant finishedAt, RunState state, String baseline, String image, String sha256,
      Map<String, Object> options, List<Step> steps) {
    public Run {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(startedAt, "startedAt == null");
      Objects.requireNonNull(state, "state == null");
      if ((baseline == null) == (image == null)) throw Problem.BadInput.field("baseline", "give a baseline or an image, one of them");
      options = Map.copyOf(Objects.requireNonNull(options, "options == null"));
      steps = List.copyOf(Objects.requireNonNull(steps, "steps == null"));
    }
  }

  /** A line of {@code GET /api/deploys}. */
  record Summary(String id, Instant startedAt, Instant finishedAt, RunState state, String baseline, String image, int nodes,
      Map<String, Integer> counts) {}

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

  /** Moves one step; {@code at} stamps its start (leaving pending) and end (a finished state). */
  Step change(String id, String node, int step, Change change, Instant at);

  /** Sets the run's state; a finished state stamps {@code finishedAt}, running (a resume) clears it. */
  void finish(String id, RunState state, Instant at);
}
