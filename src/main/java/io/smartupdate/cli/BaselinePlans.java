package io.smartupdate.cli;

import io.smartupdate.baseline.Analyzer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.Fingerprint;
import io.smartupdate.baseline.NodePlan;
import io.smartupdate.baseline.PlannedStep;
import io.smartupdate.baseline.Planner;
import io.smartupdate.baseline.Reboot;
import io.smartupdate.redfish.BaselineRun;
import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.InventoryScan;
import io.smartupdate.redfish.RebootPolicy;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.redfish.Step;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * deploy without --image: each node's inventory is read ({@link InventoryScan}) and analysed by the
 * server as analyze does, then {@link Planner} orders its steps. The result is printed (--dry-run)
 * or handed to the deployer as each node's steps.
 */
final class BaselinePlans {
  /** One node: its plan, or why it could not be analysed. */
  record Node(Bmc bmc, NodePlan plan, String failure) {
    boolean runnable() {
      return failure == null && !plan.isBlocked() && !plan.steps().isEmpty();
    }
  }

  private BaselinePlans() {}

  /** Reads, analyses and plans every BMC against {@code baselineName}; a node that cannot be read carries its failure. */
  static List<Node> plan(ServerApi api, List<Bmc> bmcs, InventoryScan scan, String baselineName, Analyzer.Options options)
      throws IOException, InterruptedException {
    Baseline baseline = api.baseline(baselineName).baseline();
    List<Component> repository = api.repositoryComponents();
    List<Node> nodes = new ArrayList<>();
    for (InventoryScan.Outcome outcome : scan.run(bmcs, o -> {})) {
      NodeAnalysis analysis = NodeAnalysis.of(outcome, api, baselineName, options.downgrade(), options.rewrite());
      if (analysis.failure() != null) {
        nodes.add(new Node(outcome.bmc(), null, analysis.failure()));
        continue;
      }
      nodes.add(new Node(outcome.bmc(), Planner.plan(analysis.node(), analysis.findings(), baseline, repository, options), null));
    }
    return nodes;
  }

  /** The scan deploy uses: one BMC answer may take --timeout, but never more than a minute. */
  static InventoryScan scan(SSLContext tls, int timeoutSeconds, int parallel) {
    return new InventoryScan(tls, Duration.ofSeconds(Math.min(timeoutSeconds, 60)), parallel, Clock.systemUTC());
  }

  /**
   * The nodes that will not run and must not pass unseen: not analysed (its inventory could not be
   * read) or blocked, each a failed result with its reason. Nodes with nothing to apply are left out.
   */
  static List<BmcResult> unrunnable(List<Node> nodes) {
    List<BmcResult> results = new ArrayList<>();
    for (Node n : nodes) {
      if (n.failure() != null) {
        results.add(new BmcResult(n.bmc().address(), n.bmc().node(), "-", "-", BmcResult.Outcome.FAILED, "not analysed: " + n.failure()));
      } else if (n.plan().isBlocked()) {
        results.add(new BmcResult(n.bmc().address(), n.bmc().node(), "-", "-", BmcResult.Outcome.FAILED,
            "blocked, nothing started: " + String.join("; ", n.plan().blocked().stream().map(String::valueOf).toList())));
      }
    }
    return results;
  }

  /** Baseline {@code name} as the run records it: its fingerprint, compared by a resume, and the options that plan it. */
  static BaselineRun recorded(ServerApi api, String name, Map<String, Object> options) throws IOException {
    return new BaselineRun(name, Fingerprint.of(api.baseline(name).baseline()), options);
  }

  /** Each runnable node's steps by BMC address, in order. */
  static Map<String, List<Step>> steps(List<Node> nodes) {
    Map<String, List<Step>> steps = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (!n.runnable()) continue;
      steps.put(n.bmc().address(), n.plan().steps().stream().map(s -> new Step(s.file(), s.expectedVersion(), List.of(), s.applyTime(), s.reboot())).toList());
    }
    return steps;
  }

  /** The whole plan as --dry-run prints it: each node, its steps in order with apply time and reboot, or why it has none. */
  static String render(List<Node> nodes, String baseline, RebootPolicy reboot) {
    StringBuilder out = new StringBuilder();
    out.append("plan for baseline ").append(baseline).append(", ").append(nodes.size()).append(nodes.size() == 1 ? " node" : " nodes")
        .append(" (--reboot ").append(reboot.flag()).append(")\n");
    for (Node n : nodes) {
      out.append(n.bmc().node()).append(": ");
      if (n.failure() != null) {
        out.append("not analysed: ").append(n.failure()).append('\n');
      } else if (n.plan().isBlocked()) {
        out.append("blocked, nothing will be started\n");
        n.plan().blocked().forEach(b -> out.append("  blocked ").append(b).append('\n'));
      } else if (n.plan().steps().isEmpty()) {
        out.append("nothing to apply\n");
      } else {
        List<PlannedStep> steps = n.plan().steps();
        out.append(steps.size()).append(steps.size() == 1 ? " step\n" : " steps\n");
        for (int i = 0; i < steps.size(); i++) out.append("  ").append(i + 1).append(". ").append(line(steps.get(i), reboot)).append('\n');
        boolean hostReboot = steps.stream().anyMatch(s -> s.reboot() == Reboot.HOST);
        if (reboot == RebootPolicy.ALWAYS && !hostReboot) out.append("  then: host reboot (--reboot always)\n");
      }
    }
    return out.toString();
  }

  private static String line(PlannedStep s, RebootPolicy reboot) {
    String version = (s.installed() == null ? "?" : s.installed()) + " -> " + s.expectedVersion();
    String then = switch (s.reboot()) {
      case NONE -> "";
      case BMC -> ", then the BMC resets";
      case HOST -> reboot == RebootPolicy.NEVER ? ", host reboot needed but not done (--reboot never)" : ", then host reboot (ComputerSystem.Reset)";
    };
    return s.component().id() + " " + s.file() + " " + version + (s.hop() ? " (intermediate: a later step needs it active)" : "")
        + ", apply " + s.applyTime() + then;
  }
}
