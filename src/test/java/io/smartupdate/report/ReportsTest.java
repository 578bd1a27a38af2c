package io.smartupdate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

  private static DeployRun.Step step(String state, String componentId, String file) {
    return new DeployRun.Step("ilo-1", 0, componentId, null, file, "3.00", null, "3.10", state, null, null, null, null, null);
  }

  @Test
  void aStepThatNeverFinishedIsAFailureNamingWhereItStopped() {
    Report report = Reports.deploy(new DeployRun("9", null, null, "interrupted", null, "hpe/ilo5_310.bin",
        List.of(step("flashing", "ilo5", "hpe/ilo5_310.bin"))), NOW);
    assertEquals(Report.Outcome.FAIL, report.rows().get(0).outcome());
    assertEquals("not finished: flashing", report.rows().get(0).message());
    assertEquals(Map.of("nodes", 1, "steps", 1, "flashing", 1), report.summary());
  }

  @Test
  void aSingleImageStepWithoutComponentIsNamedByItsFile() {
    Report report = Reports.deploy(new DeployRun("9", null, null, "done", null, "hpe/ilo5_310.bin", List.of(step("done", null, "hpe/ilo5_310.bin"))), NOW);
    assertEquals("hpe/ilo5_310.bin", report.rows().get(0).component());
    assertEquals("", report.rows().get(0).cells().get(8), "no duration known: an empty cell, not 0 s");
  }

  @Test
  void aRowWhoseCellsDoNotFitTheColumnsIsRefusedNamingIt() {
    Report.Row row = new Report.Row("n", "c", List.of("a"), Report.Outcome.PASS, "ok", null, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Report("inventory", "t", NOW, Map.of(), Map.of(), List.of("x", "y"), List.of(row)));
    assertEquals("rows: n/c has 1 cells for 2 columns", e.getMessage());
  }

  @Test
  void formatNamesAreReadInAnyCaseAndAnUnknownOneIsNamed() {
    assertEquals(Format.JUNIT, Format.parse("JUnit"));
    assertEquals("'pdf' is not a report format (html, csv, json or junit)",
        assertThrows(IllegalArgumentException.class, () -> Format.parse("pdf")).getMessage());
  }
}
