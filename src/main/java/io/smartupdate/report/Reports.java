package io.smartupdate.report;

import io.smartupdate.baseline.Action;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.report.Report.Outcome;
import io.smartupdate.report.Report.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The three kinds of report, each built from what the server answers. */
public final class Reports {
  private Reports() {}

  /** What each node has installed: one row per firmware member. */
  public static Report inventory(List<NodeInventory> nodes, Instant now) {
    List<Row> rows = new ArrayList<>();
    int members = 0;
    for (NodeInventory node : nodes) {
      for (InventoryItem item : node.items()) {
        members++;
        // A member without a version is what analyze calls unknown: the report shows it, it does not fail it.
        Outcome outcome = item.version() == null ? Outcome.SKIP : Outcome.PASS;
        rows.add(new Row(node.node(), item.id(), List.of(node.node(), orEmpty(node.model()), item.id(), item.name(),
            item.version() == null ? "" : item.version(), item.updateable() ? "yes" : "no", node.readAt().toString()),
            outcome, item.version() == null ? "no version" : "read", item.version() == null ? "the member reports no version" : "", null));
      }
    }
    Map<String, Integer> summary = new LinkedHashMap<>();
    summary.put("nodes", nodes.size());
    summary.put("components", members);
    return new Report("inventory", "Firmware inventory", now, Map.of(), summary,
        List.of("node", "model", "component", "name", "version", "updateable", "read at"), rows);
  }

  /** What each node needs against {@code baseline} (the deploy preview): one row per (node, component). */
  public static Report compliance(String baseline, List<Finding> findings, Instant now) {
    List<Row> rows = new ArrayList<>();
    Map<String, List<Finding>> byNode = new LinkedHashMap<>();
    for (Finding f : findings) {
      byNode.computeIfAbsent(f.node(), n -> new ArrayList<>()).add(f);
      Outcome outcome = switch (f.action()) {
        case UP_TO_DATE, NOT_APPLICABLE, DOWNGRADE -> Outcome.PASS;
        case UPDATE, REWRITE, BLOCKED -> Outcome.FAIL;
        case UNKNOWN -> Outcome.SKIP;
      };
      String message = outcome == Outcome.PASS ? "" : f.action().json() + ": " + f.reason();
      rows.add(new Row(f.node(), f.componentId(), List.of(f.node(), f.componentId(), orEmpty(f.componentName()),
          orEmpty(f.installed()), orEmpty(f.available()), f.action().json(), f.reason()), outcome, f.action().json(), message, null));
    }
    Map<String, Integer> summary = new LinkedHashMap<>();
    summary.put("nodes", byNode.size());
    for (NodeState state : NodeState.values()) summary.put(state.label, 0);
    for (List<Finding> node : byNode.values()) summary.merge(NodeState.of(node).label, 1, Integer::sum);
    return new Report("compliance", "Compliance against baseline " + baseline, now, Map.of("baseline", baseline), summary,
        List.of("node", "component", "name", "installed", "available", "action", "reason"), rows);
  }

  /** How a deploy run went: one row per step, with the versions before and after and its duration. */
  public static Report deploy(DeployRun run, Instant now) {
    List<Row> rows = new ArrayList<>();
    Map<String, Integer> summary = new LinkedHashMap<>();
    summary.put("nodes", (int) run.steps().stream().map(DeployRun.Step::node).distinct().count());
    summary.put("steps", run.steps().size());
    for (DeployRun.Step step : run.steps()) {
      Outcome outcome = switch (step.state()) {
        case "done" -> Outcome.PASS;
        case "skipped" -> Outcome.SKIP;
        default -> Outcome.FAIL;
      };
      String why = orEmpty(step.reason());
      String message = switch (outcome) {
        case PASS -> "";
        case SKIP -> why.isEmpty() ? "skipped" : why;
        case FAIL -> "failed".equals(step.state()) ? (why.isEmpty() ? "failed" : why) : "not finished: " + step.state();
      };
      summary.merge(step.state(), 1, Integer::sum);
      Double seconds = step.durationMs() == null ? null : step.durationMs() / 1000.0;
      rows.add(new Row(step.node(), step.shownComponent(), List.of(step.node(), step.shownComponent(), orEmpty(step.file()),
          orEmpty(step.before()), orEmpty(step.after()), orEmpty(step.expected()), resultOf(step), why,
          seconds == null ? "" : String.format(Locale.ROOT, "%.1f s", seconds)), outcome, step.state(), message, seconds));
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("run", run.id());
    facts.put("state", run.state());
    if (run.baseline() != null) facts.put("baseline", run.baseline());
    if (run.image() != null) facts.put("image", run.image());
    if (run.startedAt() != null) facts.put("started", run.startedAt().toString());
    if (run.finishedAt() != null) facts.put("finished", run.finishedAt().toString());
    return new Report("deploy", "Deploy run " + run.id(), now, facts, summary,
        List.of("node", "component", "file", "before", "after", "expected", "result", "reason", "duration"), rows);
  }

  private static String resultOf(DeployRun.Step step) {
    return step.result() == null || step.result().isBlank() || step.result().equals(step.state()) ? step.state() : step.state() + " (" + step.result() + ")";
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  /** A node's compliance in one word, as the web page's badge says it. */
  enum NodeState {
    COMPLIES("complying"), UPDATES("needing updates"), BLOCKED("blocked"), UNKNOWN("unknown");

    final String label;

    NodeState(String label) {
      this.label = label;
    }

    /** Blocked outweighs updates, which outweigh unknown: the worst thing first. */
    static NodeState of(List<Finding> findings) {
      if (findings.stream().anyMatch(f -> f.action() == Action.BLOCKED)) return BLOCKED;
      if (findings.stream().anyMatch(f -> f.action() == Action.UPDATE || f.action() == Action.REWRITE)) return UPDATES;
      if (findings.stream().anyMatch(f -> f.action() == Action.UNKNOWN)) return UNKNOWN;
      return COMPLIES;
    }
  }
}
