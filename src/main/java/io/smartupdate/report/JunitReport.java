package io.smartupdate.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML as CI dashboards read it: a testsuite per node, a testcase per component
 * (classname = node, name = component); a row that did not pass is a failure, an unknown one skipped.
 */
final class JunitReport {
  private JunitReport() {}

  static String render(Report report) {
    Map<String, List<Report.Row>> byNode = new LinkedHashMap<>();
    for (Report.Row row : report.rows()) byNode.computeIfAbsent(row.node(), n -> new ArrayList<>()).add(row);
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<testsuites name=\"").append(attr("smartupdate " + report.kind())).append("\" tests=\"").append(report.rows().size())
        .append("\" failures=\"").append(count(report.rows(), Report.Outcome.FAIL)).append("\" skipped=\"")
        .append(count(report.rows(), Report.Outcome.SKIP)).append("\" timestamp=\"").append(report.generatedAt()).append("\">\n");
    for (Map.Entry<String, List<Report.Row>> node : byNode.entrySet()) {
      List<Report.Row> rows = node.getValue();
      out.append("  <testsuite name=\"").append(attr(node.getKey())).append("\" tests=\"").append(rows.size()).append("\" failures=\"")
          .append(count(rows, Report.Outcome.FAIL)).append("\" skipped=\"").append(count(rows, Report.Outcome.SKIP)).append("\" time=\"")
          .append(seconds(rows.stream().mapToDouble(r -> r.seconds() == null ? 0 : r.seconds()).sum())).append("\">\n");
      for (Report.Row row : rows) {
        out.append("    <testcase classname=\"").append(attr(row.node())).append("\" name=\"").append(attr(row.component()))
            .append("\" time=\"").append(seconds(row.seconds() == null ? 0 : row.seconds())).append('"');
        switch (row.outcome()) {
          case PASS -> out.append("/>\n");
          case FAIL -> out.append(">\n      <failure type=\"").append(attr(row.label())).append("\" message=\"").append(attr(row.message()))
              .append("\">").append(text(details(report, row))).append("</failure>\n    </testcase>\n");
          case SKIP -> out.append(">\n      <skipped message=\"").append(attr(row.message())).append("\"/>\n    </testcase>\n");
        }
      }
      out.append("  </testsuite>\n");
    }
    return out.append("</testsuites>\n").toString();
  }

  /** The row's cells as "column: value" lines, for the failure's body. */
  private static String details(Report report, Report.Row row) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < report.columns().size(); i++) {
      if (!row.cells().get(i).isEmpty()) out.append(report.columns().get(i)).append(": ").append(row.cells().get(i)).append('\n');
    }
    return out.toString();
  }

  private static long count(List<Report.Row> rows, Report.Outcome outcome) {
    return rows.stream().filter(r -> r.outcome() == outcome).count();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** XML 1.0 text: the five specials escaped, characters XML cannot carry replaced. */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? '?' : c);
      }
    }
    return out.toString();
  }

  private static String attr(String s) {
    return text(s).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
  }
}
