package io.smartupdate.compliance;

import io.smartupdate.baseline.Action;
import io.smartupdate.baseline.Analyzer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.core.Problem;
import io.smartupdate.status.Inventories;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fleet against a baseline, always recomputed from the stored inventories, so a changed
 * baseline shows at once. The API's rows and the gauge's counts come from the same {@link #rows}.
 */
public final class Compliance {
  private final Inventories inventories;
  private final Function<String, Optional<Baseline>> baselines;
  private final Clock clock;

  /** @param baselines the repository's baselines by name ({@link Baseline#DEFAULT} for baseline.json) */
  public Compliance(Inventories inventories, Function<String, Optional<Baseline>> baselines, Clock clock) {
    this.inventories = inventories;
    this.baselines = baselines;
    this.clock = clock;
  }

  /** The baseline named {@code name}, or {@code not_found} naming it. */
  Baseline baseline(String name) {
    return baselines.apply(name).orElseThrow(() -> new Problem.NotFound("no baseline \"" + name + "\" in the repository"
        + (Baseline.DEFAULT.equals(name) ? " (it has no baseline.json)" : " (baselines/" + name + ".json); GET /api/baselines lists them")));
  }

  /** Analyses and stores one node's inventory; the findings use {@code options}, as analyze was asked. */
  Inventories.Stored store(NodeInventory inventory, String baselineName, Analyzer.Options options) {
    Baseline baseline = baseline(baselineName);
    Inventories.Stored stored = new Inventories.Stored(inventory, baseline.name(), Analyzer.analyze(baseline, inventory, options), clock.instant());
    inventories.put(stored);
    return stored;
  }

  Optional<Inventories.Stored> stored(String node) {
    return inventories.get(node);
  }

  /** Every stored node's inventory, by node name. */
  List<NodeInventory> inventories() {
    return inventories.all();
  }

  /** One row per (node, component) of every stored node against {@code baselineName}, nodes by name. */
  List<Finding> rows(String baselineName) {
    Baseline baseline = baseline(baselineName);
    List<Finding> rows = new ArrayList<>();
    for (NodeInventory node : inventories.all()) rows.addAll(Analyzer.analyze(baseline, node, Analyzer.Options.NONE));
    return rows;
  }

  /** Rows by action, every action present (0 when none): the gauge's values and the API's summary. */
  static Map<String, Integer> count(List<Finding> rows) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Action action : Action.values()) counts.put(action.json(), 0);
    for (Finding row : rows) counts.merge(row.action().json(), 1, Integer::sum);
    return counts;
  }

  /**
   * The default baseline's rows by action; all zero when the repository has no default baseline,
   * none at all while the store cannot be read (a scrape must not fail for it: the gauge is absent).
   */
  public Map<String, Integer> counts() {
    if (baselines.apply(Baseline.DEFAULT).isEmpty()) return count(List.of());
    try {
      return count(rows(Baseline.DEFAULT));
    } catch (Problem.Unavailable e) {
      return Map.of();
    }
  }
}
