package io.smartupdate.report;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One report as every format writes it: a title, facts (baseline, run, ...), a count per outcome
 * label, and one row per (node, component) with its cells under {@code columns}.
 */
public record Report(String kind, String title, Instant generatedAt, Map<String, String> facts, Map<String, Integer> summary,
    List<String> columns, List<Row> rows) {
  public Report {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(title, "title == null");
    Objects.requireNonNull(generatedAt, "generatedAt == null");
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(facts, "facts == null")));
    summary = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(summary, "summary == null")));
    columns = List.copyOf(Objects.requireNonNull(columns, "columns == null"));
    rows = List.copyOf(Objects.requireNonNull(rows, "rows == null"));
    for (Row row : rows) {
      if (row.cells().size() != columns.size()) {
        throw new IllegalArgumentException("rows: " + row.node() + "/" + row.component() + " has " + row.cells().size()
            + " cells for " + columns.size() + " columns");
      }
    }
  }

  /** How a row reads in JUnit XML and in the HTML's colours. */
  public enum Outcome { PASS, FAIL, SKIP }

  /**
   * One (node, component): its cells, the outcome and, when it did not pass, the message saying
   * why. {@code label} is what a person reads for the outcome (update, failed, up-to-date).
   */
  public record Row(String node, String component, List<String> cells, Outcome outcome, String label, String message,
      Double seconds) {
    public Row {
      Objects.requireNonNull(node, "node == null");
      Objects.requireNonNull(component, "component == null");
      cells = cells.stream().map(c -> c == null ? "" : c).toList();
      Objects.requireNonNull(outcome, "outcome == null");
      Objects.requireNonNull(label, "label == null");
      message = message == null ? "" : message;
    }
  }
}
