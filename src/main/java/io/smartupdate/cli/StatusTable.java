package io.smartupdate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The text screen of {@code smartupdate status}: nodes, then downloads in flight. */
final class StatusTable {
  private StatusTable() {}

  static String render(JsonNode nodes, JsonNode downloads) {
    StringBuilder out = new StringBuilder();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NODE", "PHASE", "PROGRESS", "COMPONENT", "AT", "MESSAGE"));
    for (JsonNode node : nodes.path("nodes")) {
      rows.add(List.of(text(node, "node"), text(node, "phase"), node.hasNonNull("progress") ? node.get("progress").asText() + "%" : "",
          text(node, "component"), text(node, "at"), text(node, "message")));
    }
    out.append("Nodes: ").append(rows.size() - 1).append(System.lineSeparator());
    table(out, rows);
    rows.clear();
    rows.add(List.of("CLIENT", "PATH", "SENT", "OF", "DONE", "SCHEME", "SESSION", "STARTED"));
    for (JsonNode d : downloads.path("downloads")) {
      long sent = d.path("sent").asLong();
      long length = d.path("length").asLong(-1);
      String done = length > 0 ? (sent * 100 / length) + "%" : "";
      rows.add(List.of(text(d, "client"), text(d, "path"), bytes(sent), length < 0 ? "?" : bytes(length), done, text(d, "scheme"),
          text(d, "session"), text(d, "started")));
    }
    out.append(System.lineSeparator()).append("Downloads in flight: ").append(rows.size() - 1).append(System.lineSeparator());
    table(out, rows);
    return out.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return "";
    // Node messages and paths are the clients' words: no control characters onto the operator's terminal.
    return value.asText().replaceAll("\\p{Cntrl}", "?");
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format("%.1f KiB", n / 1024.0);
    if (n < 1024L * 1024 * 1024) return String.format("%.1f MiB", n / (1024.0 * 1024));
    return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
  }

  /** Left-aligned columns as wide as their widest cell, the first row the header. */
  static void table(StringBuilder out, List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(r -> { for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], r.get(i).length()); });
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) line.append(String.format("%-" + (widths[i] + 2) + "s", r.get(i)));
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
  }
}
