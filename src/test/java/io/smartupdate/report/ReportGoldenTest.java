package io.smartupdate.report;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.component;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static io.smartupdate.baseline.Fleet.withRules;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smartupdate.baseline.Analyzer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of report in each format against its golden file in {@code src/test/resources/reports}.
 * After a deliberate change, {@code -Dreports.regenerate=true} rewrites the golden files; review the diff.
 */
class ReportGoldenTest {
  static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

  /** Five nodes against a small baseline: every node state and every kind of action a person reads. */
  static List<NodeInventory> fleet() {
    InventoryItem noVersion = new InventoryItem("/redfish/v1/UpdateService/FirmwareInventory/nic", "nic", "NIC, \"port 1\"", null, null, true,
        null, null, null, null, null);
    return List.of(
        node("ilo-10.0.0.11", "ProLiant DL380 Gen10", member("1", "iLO 5", "3.10"), member("2", "PSU", "1.5"), member("3", "CPLD", "0.9")),
        node("ilo-10.0.0.12", "ProLiant DL380 Gen10", member("1", "iLO 5", "3.00"), member("2", "PSU", "1.6")),
        node("ilo-10.0.0.13", "ProLiant DL380 Gen10", member("1", "iLO 5", "3.10"), member("2", "PSU", "1.5"), member("3", "CPLD", "1.0")),
        node("ilo-10.0.0.14", "ProLiant DL360 Gen10", member("1", "iLO 5", "3.10"), member("2", "PSU", "1.5"), noVersion),
        node("idrac-10.0.1.21", "PowerEdge R750", member("1", "iLO 5", "3.10"), member("2", "PSU", "1.5"), member("3", "CPLD", "0.5")));
  }

  static Baseline baseline() {
    return new Baseline("gen10", List.of(component("ilo", "3.10", byName("^iLO")), component("psu", "1.5", byName("^PSU")),
        withRules(component("cpld", "1.0", byName("^CPLD")), "0.8", List.of()), component("nic", "235.1.162.0", byName("^NIC"))));
  }

  static List<Finding> findings() {
    List<Finding> rows = new ArrayList<>();
    for (NodeInventory node : fleet()) rows.addAll(Analyzer.analyze(baseline(), node, Analyzer.Options.NONE));
    return rows;
  }

  static DeployRun run() throws IOException {
    try (InputStream in = ReportGoldenTest.class.getResourceAsStream("/reports/deploy-run.json")) {
      return Json.MAPPER.readValue(in, DeployRun.class);
    }
  }

  static Report report(String kind) throws IOException {
    return switch (kind) {
      case "inventory" -> Reports.inventory(fleet(), NOW);
      case "compliance" -> Reports.compliance("gen10", findings(), NOW);
      default -> Reports.deploy(run(), NOW);
    };
  }

  static Stream<Arguments> kindsAndFormats() {
    return Stream.of("inventory", "compliance", "deploy").flatMap(k -> Stream.of(Format.values()).map(f -> Arguments.of(k, f)));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("kindsAndFormats")
  void reportMatchesItsGoldenFile(String kind, Format format) throws IOException {
    String actual = format.render(report(kind));
    String name = kind + (format == Format.JUNIT ? ".junit." : ".") + format.extension();
    Path golden = Path.of("src/test/resources/reports", name);
    if (Boolean.getBoolean("reports.regenerate")) Files.writeString(golden, actual, StandardCharsets.UTF_8);
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, name + " differs from its golden file");
  }
}
