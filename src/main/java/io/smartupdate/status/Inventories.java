package io.smartupdate.status;

import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Each node's last firmware inventory and the analysis made when it was stored, kept in the
 * status database (SQLite or PostgreSQL) beside its events. Storage failures are
 * {@link io.smartupdate.core.Problem.Unavailable}.
 */
public interface Inventories {
  /** A node's inventory, the baseline it was analysed against, and the findings then. */
  record Stored(NodeInventory inventory, String baseline, List<Finding> findings, Instant storedAt) {
    public Stored {
      Objects.requireNonNull(inventory, "inventory == null");
      Objects.requireNonNull(baseline, "baseline == null");
      findings = List.copyOf(Objects.requireNonNull(findings, "findings == null"));
      Objects.requireNonNull(storedAt, "storedAt == null");
    }
  }

  /** Replaces the node's inventory and analysis. */
  void put(Stored stored);

  Optional<Stored> get(String node);

  /** Every node's last inventory, by node name. */
  List<NodeInventory> all();
}
