package io.smartupdate.cli;

import io.smartupdate.baseline.Action;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.redfish.InventoryScan;
import io.smartupdate.redfish.ServerApi;
import java.io.IOException;
import java.util.List;

/** One node's analysis as analyze prints it: its BMC, what it has and needs, or why it could not be analysed. */
record NodeAnalysis(String node, String bmc, NodeInventory inventory, List<Finding> findings, String failure) {
  NodeAnalysis {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** Stores the inventory on the server, which answers the findings; a failure to read or store is the node's failure. */
  static NodeAnalysis of(InventoryScan.Outcome outcome, ServerApi server, String baseline, boolean downgrade, boolean rewrite) {
    String node = outcome.bmc().node();
    if (!outcome.ok()) return new NodeAnalysis(node, outcome.bmc().address(), null, null, outcome.failure());
    try {
      List<Finding> findings = server.storeInventory(outcome.inventory(), baseline, downgrade, rewrite);
      return new NodeAnalysis(node, outcome.bmc().address(), outcome.inventory(), findings, null);
    } catch (IOException | RuntimeException e) {
      return new NodeAnalysis(node, outcome.bmc().address(), outcome.inventory(), null,
          "the inventory was read but the server did not store it: " + e.getMessage());
    }
  }

  /**
   * Nothing to do on this node: every component up to date, not applicable, or newer and left so
   * (without --downgrade). Unknown, blocked, update, rewrite and an applied downgrade all need a look.
   */
  boolean complies(boolean downgrade) {
    return failure == null && findings.stream().allMatch(f -> f.action() == Action.UP_TO_DATE || f.action() == Action.NOT_APPLICABLE
        || f.action() == Action.DOWNGRADE && !downgrade);
  }
}
