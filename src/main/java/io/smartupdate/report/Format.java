package io.smartupdate.report;

import java.util.Locale;

/** The formats a report is written in. */
public enum Format {
  HTML("html"), CSV("csv"), JSON("json"), JUNIT("xml");

  private final String extension;

  Format(String extension) {
    this.extension = extension;
  }

  /** The usual file name ending, without its dot. */
  public String extension() {
    return extension;
  }

  /** The whole report in this format, always ending with a line break. */
  public String render(Report report) {
    return switch (this) {
      case HTML -> HtmlReport.render(report);
      case CSV -> Csv.render(report);
      case JSON -> JsonReport.render(report);
      case JUNIT -> JunitReport.render(report);
    };
  }

  /** The format named {@code name} (html, csv, json, junit), in any case. */
  public static Format parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not a report format (html, csv, json or junit)");
    }
  }
}
