package io.smartupdate.report;

import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML file: inline CSS, no script, no external asset, so it can
 * be mailed, archived or printed as is. Every value is escaped; nothing from a BMC becomes markup.
 */
final class HtmlReport {
  private static final String STYLE = """
      :root{--fg:#1c2430;--muted:#5b6776;--line:#d8dee6;--pass:#1f7a3d;--fail:#b3261e;--skip:#8a6100;--head:#f1f4f7}
      *{box-sizing:border-box}
      body{margin:24px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
      h1{font-size:22px;margin:0 0 4px}
      .meta{color:var(--muted);margin:0 0 16px}
      dl.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0 0 16px}
      dl.facts div{display:flex;gap:6px}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;font-weight:600}
      .summary{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 20px}
      .card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px}
      .card b{display:block;font-size:22px}.card span{color:var(--muted)}
      table{border-collapse:collapse;width:100%}
      th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
      th{background:var(--head);font-weight:600}
      td{overflow-wrap:anywhere}
      .outcome{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
      .pass .outcome{background:var(--pass)}.fail .outcome{background:var(--fail)}.skip .outcome{background:var(--skip)}
      tr.fail td:first-child{box-shadow:inset 3px 0 var(--fail)}tr.skip td:first-child{box-shadow:inset 3px 0 var(--skip)}
      .empty{color:var(--muted)}
      @media print{
        body{margin:0;font-size:10pt}
        @page{size:A4 landscape;margin:12mm}
        thead{display:table-header-group}
        tr{break-inside:avoid}
        .card{border-color:#999}
        .outcome{color:#000!important;background:none!important;border:1px solid #000}
      }
      """;

  private HtmlReport() {}

  static String render(Report report) {
    StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc("smartupdate: " + report.title())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(esc(report.title())).append("</h1>\n")
        .append("<p class=\"meta\">smartupdate ").append(esc(report.kind())).append(" report, generated ").append(esc(report.generatedAt().toString()))
        .append("</p>\n");
    if (!report.facts().isEmpty()) {
      out.append("<dl class=\"facts\">");
      for (Map.Entry<String, String> fact : report.facts().entrySet()) {
        out.append("<div><dt>").append(esc(fact.getKey())).append("</dt><dd>").append(esc(fact.getValue())).append("</dd></div>");
      }
      out.append("</dl>\n");
    }
    out.append("<div class=\"summary\">");
    for (Map.Entry<String, Integer> count : report.summary().entrySet()) {
      out.append("<div class=\"card\"><b>").append(count.getValue()).append("</b><span>").append(esc(count.getKey())).append("</span></div>");
    }
    out.append("</div>\n<table>\n<thead><tr>");
    for (String column : report.columns()) out.append("<th>").append(esc(column)).append("</th>");
    out.append("</tr></thead>\n<tbody>\n");
    int outcomeColumn = outcomeColumn(report);
    for (Report.Row row : report.rows()) {
      out.append("<tr class=\"").append(row.outcome().name().toLowerCase(Locale.ROOT)).append("\">");
      for (int i = 0; i < row.cells().size(); i++) {
        String cell = esc(row.cells().get(i));
        out.append("<td>").append(i == outcomeColumn ? "<span class=\"outcome\">" + cell + "</span>" : cell).append("</td>");
      }
      out.append("</tr>\n");
    }
    if (report.rows().isEmpty()) {
      out.append("<tr><td class=\"empty\" colspan=\"").append(report.columns().size()).append("\">Nothing to report.</td></tr>\n");
    }
    return out.append("</tbody>\n</table>\n</body>\n</html>\n").toString();
  }

  /** The column that says how the row ended (action or result), drawn as a coloured label; -1 for none. */
  private static int outcomeColumn(Report report) {
    int action = report.columns().indexOf("action");
    return action >= 0 ? action : report.columns().indexOf("result");
  }

  private static String esc(String s) {
    return JunitReport.text(s);
  }
}
