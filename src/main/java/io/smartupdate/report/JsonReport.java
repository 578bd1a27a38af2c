package io.smartupdate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as one JSON document: kind, title, facts, summary, and rows keyed by column. */
final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  static String render(Report report) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("kind", report.kind());
    doc.put("title", report.title());
    doc.put("generatedAt", report.generatedAt().toString());
    doc.putAll(report.facts());
    doc.put("summary", report.summary());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Report.Row row : report.rows()) {
      Map<String, Object> json = new LinkedHashMap<>();
      for (int i = 0; i < report.columns().size(); i++) json.put(report.columns().get(i), row.cells().get(i));
      json.put("outcome", row.outcome().name().toLowerCase(Locale.ROOT));
      if (row.seconds() != null) json.put("seconds", row.seconds());
      rows.add(json);
    }
    doc.put("rows", rows);
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
