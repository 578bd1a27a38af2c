package io.smartupdate.report;

import java.util.List;
import java.util.stream.Collectors;

/** CSV as spreadsheets read it (RFC 4180, CRLF-free lines, the header first). */
public final class Csv {
  private Csv() {}

  static String render(Report report) {
    StringBuilder out = new StringBuilder(line(report.columns()));
    for (Report.Row row : report.rows()) out.append(line(row.cells()));
    return out.toString();
  }

  /** One CSV line, each field {@link #quote}d, ending in a line feed. */
  public static String line(List<String> fields) {
    return fields.stream().map(Csv::quote).collect(Collectors.joining(",")) + "\n";
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; a leading = + - @ is defused for spreadsheets. */
  public static String quote(String field) {
    if (field == null) return "";
    String text = field.matches("^[=+\\-@].*") ? "'" + field : field;
    if (text.matches("(?s).*[\",\\r\\n].*")) return "\"" + text.replace("\"", "\"\"") + "\"";
    return text;
  }
}
