package io.smartupdate.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A deploy run as {@code GET /api/deploys/{id}} answers it: its steps, one per (node, component),
 * with the versions before and after and how each ended. Fields the server adds later are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployRun(String id, Instant startedAt, Instant finishedAt, String state, String baseline, String image, List<Step> steps) {
  public DeployRun {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(state, "state == null");
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** One step: {@code state} is pending, sent, fetching, flashing, verifying, done, failed or skipped. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Step(String node, Integer step, String componentId, String component, String file, String before, String after,
      String expected, String state, String result, String reason, Instant startedAt, Instant finishedAt, Long durationMs) {
    public Step {
      Objects.requireNonNull(node, "node == null");
      Objects.requireNonNull(state, "state == null");
    }

    /** What names the component in a report: its id, else its name, else the image file. */
    String shownComponent() {
      if (componentId != null && !componentId.isBlank()) return componentId;
      if (component != null && !component.isBlank()) return component;
      return file == null || file.isBlank() ? "(image)" : file;
    }
  }
}
