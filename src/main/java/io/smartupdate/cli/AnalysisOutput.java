package io.smartupdate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.smartupdate.baseline.Action;
import io.smartupdate.baseline.Finding;
import io.smartupdate.report.Csv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** analyze's output: a table per node, or one JSON document, or CSV rows (one per node and component). */
final class AnalysisOutput {
  enum Format { TABLE, JSON, CSV }

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
  private static final String NL = System.lineSeparator();

  private AnalysisOutput() {}

  /** {@code downgrade}: whether newer installed versions are to be replaced (then they do not comply). */
  static String render(List<NodeAnalysis> analyses, Format format, String baseline, boolean downgrade) {
    return switch (format) {
      case TABLE -> table(analyses, baseline, downgrade);
      case JSON -> json(analyses, baseline);
      case CSV -> csv(analyses);
    };
  }

  private static String table(List<NodeAnalysis> analyses, String baseline, boolean downgrade) {
    StringBuilder out = new StringBuilder();
    for (NodeAnalysis a : analyses) {
      out.append(a.node()).append(" (").append(a.bmc()).append(")");
      if (a.failure() != null) {
        out.append(": NOT ANALYSED: ").append(clean(a.failure())).append(NL).append(NL);
        continue;
      }
      if (a.inventory().model() != null) out.append(" ").append(clean(a.inventory().model()));
      out.append(": ").append(summary(a.findings())).append(" against baseline ").append(baseline).append(NL);
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("COMPONENT", "INSTALLED", "AVAILABLE", "ACTION", "REASON"));
      for (Finding f : a.findings()) {
        rows.add(List.of(clean(f.componentId()), f.installed() == null ? "-" : clean(f.installed()), clean(f.available()),
            f.action().json(), clean(f.reason())));
      }
      StatusTable.table(out, rows);
      out.append(NL);
    }
    long failed = analyses.stream().filter(a -> a.failure() != null).count();
    out.append("Nodes: ").append(analyses.size()).append(", not analysed: ").append(failed).append(", complying: ")
        .append(analyses.stream().filter(a -> a.complies(downgrade)).count()).append(NL);
    return out.toString();
  }

  /** "2 updates, 1 blocked" or "complies". */
  static String summary(List<Finding> findings) {
    Map<Action, Long> counts = new EnumMap<>(Action.class);
    for (Finding f : findings) counts.merge(f.action(), 1L, Long::sum);
    List<String> parts = new ArrayList<>();
    for (Action action : List.of(Action.UPDATE, Action.BLOCKED, Action.UNKNOWN, Action.DOWNGRADE, Action.REWRITE)) {
      long n = counts.getOrDefault(action, 0L);
      if (n > 0) parts.add(n + " " + (action == Action.UPDATE && n > 1 ? "updates" : action.json()));
    }
    return parts.isEmpty() ? "complies" : String.join(", ", parts);
  }

  private static String json(List<NodeAnalysis> analyses, String baseline) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("baseline", baseline);
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (NodeAnalysis a : analyses) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("node", a.node());
      node.put("bmc", a.bmc());
      node.put("analysed", a.failure() == null);
      if (a.failure() != null) node.put("failure", a.failure());
      if (a.inventory() != null) {
        node.put("model", a.inventory().model());
        node.put("sku", a.inventory().sku());
      }
      node.put("findings", a.findings());
      nodes.add(node);
    }
    doc.put("nodes", nodes);
    try {
      return JSON.writeValueAsString(doc) + NL;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String csv(List<NodeAnalysis> analyses) {
    StringBuilder out = new StringBuilder("node,component,name,installed,available,action,reason").append(NL);
    for (NodeAnalysis a : analyses) {
      if (a.failure() != null) {
        out.append(csvLine(a.node(), "", "", "", "", "error", a.failure()));
        continue;
      }
      for (Finding f : a.findings()) {
        out.append(csvLine(f.node(), f.componentId(), f.componentName(), f.installed(), f.available(), f.action().json(), f.reason()));
      }
    }
    return out.toString();
  }

  private static String csvLine(String... fields) {
    return Arrays.stream(fields).map(Csv::quote).collect(Collectors.joining(",")) + NL;
  }

  /** BMC-supplied text onto the operator's terminal: no control characters. */
  private static String clean(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
  }
}
