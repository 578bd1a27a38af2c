package io.smartupdate.baseline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A named set of components: {@code default} from {@code baseline.json}, others from {@code baselines/NAME.json}. */
public record Baseline(String name, List<Component> components) {
  public static final String DEFAULT = "default";

  public Baseline {
    Objects.requireNonNull(name, "name == null");
    components = List.copyOf(Objects.requireNonNull(components, "components == null"));
  }

  /** The component with this id, if the baseline has it. */
  public Optional<Component> component(String id) {
    return components.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
