package io.smartupdate.cli;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.component;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.compliance.ComplianceServer;
import io.smartupdate.http.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code smartupdate report} against a running server: what it writes, where, and the one line when it cannot. */
@Timeout(60)
class ReportCommandIT {
  @TempDir Path dir;

  private ComplianceServer fleet() throws Exception {
    ComplianceServer server = ComplianceServer.start(dir.resolve("server"));
    server.baselines.put("gen10", new Baseline("gen10", List.of(component("ilo", "3.10", byName("^iLO")), component("psu", "1.5", byName("^PSU")))));
    server.baselines.put(Baseline.DEFAULT, server.baselines.get("gen10"));
    HttpClient http = HttpClient.newHttpClient();
    for (NodeInventory node : List.of(node("ilo-a", "DL380", member("1", "iLO 5", "3.00"), member("2", "PSU", "1.5")),
        node("ilo-b", "DL380", member("1", "iLO 5", "3.10"), member("2", "PSU", "1.5")))) {
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/nodes/" + node.node()
          + "/inventory")).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(node))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
    }
    return server;
  }

  private CliRun report(ComplianceServer server, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "report";
    System.arraycopy(args, 0, all, 1, args.length);
    System.arraycopy(new String[] {"--port", Integer.toString(server.port()), "--data", dir.resolve("cli").toString()}, 0, all, args.length + 1, 4);
    return CliRun.of(all);
  }

  @Test
  void complianceCsvGoesToStandardOutputRowForRow() throws Exception {
    try (ComplianceServer server = fleet()) {
      CliRun run = report(server, "compliance", "--baseline", "gen10", "--format", "csv");
      assertEquals(0, run.code(), run.err());
      assertEquals("""
          node,component,name,installed,available,action,reason
          ilo-a,ilo,ilo firmware,3.00,3.10,update,installed 3.00 is older than 3.10
          ilo-a,psu,psu firmware,1.5,1.5,up-to-date,installed 1.5 is the baseline's version
          ilo-b,ilo,ilo firmware,3.10,3.10,up-to-date,installed 3.10 is the baseline's version
          ilo-b,psu,psu firmware,1.5,1.5,up-to-date,installed 1.5 is the baseline's version
          """, run.out());
    }
  }

  @Test
  void junitAndHtmlAndInventoryJsonAreWrittenToTheOutputFile() throws Exception {
    try (ComplianceServer server = fleet()) {
      Path junit = dir.resolve("compliance.xml");
      assertEquals(0, report(server, "compliance", "--format", "junit", "--output", junit.toString()).code());
      String xml = Files.readString(junit);
      assertTrue(xml.contains("<testsuites name=\"smartupdate compliance\" tests=\"4\" failures=\"1\" skipped=\"0\""), xml);
      assertTrue(xml.contains("<testcase classname=\"ilo-a\" name=\"ilo\" time=\"0.000\">\n      <failure type=\"update\" message=\"update: installed 3.00 is older than 3.10\">"), xml);

      Path html = dir.resolve("compliance.html");
      CliRun written = report(server, "compliance", "--output", html.toString());
      assertEquals("", written.out(), "with --output nothing goes to standard output");
      String page = Files.readString(html);
      assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<div class=\"card\"><b>1</b><span>needing updates</span></div>"), page);
      assertTrue(!page.contains("<script") && !page.contains("<link") && !page.contains("http"), "self-contained: no script, link or URL");

      CliRun inventory = report(server, "inventory", "--format", "json");
      assertEquals(0, inventory.code(), inventory.err());
      JsonNode json = Json.MAPPER.readTree(inventory.out());
      assertEquals(2, json.path("summary").path("nodes").asInt());
      assertEquals("ilo-a 1 iLO 5 3.00", String.join(" ", json.path("rows").path(0).path("node").asText(), json.path("rows").path(0).path("component").asText(),
          json.path("rows").path(0).path("name").asText(), json.path("rows").path(0).path("version").asText()));
    }
  }

  /** The runs API as the runs store answers it (src/test/resources/reports/deploy-run.json), served by WireMock. */
  @Test
  void deployRunAsJunitHasAFailureAndASkipWhereTheStepsSayIt() throws Exception {
    WireMockServer runs = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    runs.start();
    try (InputStream fixture = getClass().getResourceAsStream("/reports/deploy-run.json")) {
      runs.stubFor(get("/health").willReturn(okJson("{\"version\":\"test\",\"ports\":{\"http\":" + runs.port() + "}}")));
      runs.stubFor(get("/api/deploys/7").willReturn(okJson(new String(fixture.readAllBytes(), StandardCharsets.UTF_8))));
      CliRun run = CliRun.of("report", "deploy", "7", "--format", "junit", "--port", Integer.toString(runs.port()), "--data", dir.toString());
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains("<testsuites name=\"smartupdate deploy\" tests=\"3\" failures=\"1\" skipped=\"1\""), run.out());
      assertTrue(run.out().contains("<testcase classname=\"ilo-10.0.0.12\" name=\"ilo5\" time=\"89.000\">\n      <failure type=\"failed\""
          + " message=\"TaskState Exception: image rejected (wrong model) &lt;ProLiant &amp; &quot;Gen10&quot;&gt;\">"), run.out());
    } finally {
      runs.stop();
    }
  }

  @Test
  void aMissingBaselineOrRunIsOneLineAndExitOne() throws Exception {
    try (ComplianceServer server = fleet()) {
      CliRun baseline = report(server, "compliance", "--baseline", "gen11");
      assertEquals(1, baseline.code());
      assertEquals("smartupdate: GET /api/compliance?baseline=gen11 answered 404: no baseline \"gen11\" in the repository (baselines/gen11.json);"
          + " GET /api/baselines lists them\n", baseline.err());
      assertEquals(1, report(server, "deploy", "7").code(), "this server has no deploy runs");
      Path nowhere = Files.writeString(dir.resolve("a-file"), "").resolve("report.html");
      CliRun unwritable = report(server, "inventory", "--output", nowhere.toString());
      assertEquals(1, unwritable.code());
      assertTrue(unwritable.err().startsWith("smartupdate: cannot write --output " + nowhere + ": "), unwritable.err());
    }
  }

  @Test
  void usageErrorsNameTheFixAndExitTwo() throws Exception {
    try (ComplianceServer server = fleet()) {
      assertEquals("smartupdate: invalid value for KIND: 'fleet' (inventory, compliance or deploy)", firstLine(report(server, "fleet")));
      assertEquals("smartupdate: report deploy needs the run's id: report deploy RUN (GET /api/deploys lists them)", firstLine(report(server, "deploy")));
      assertEquals("smartupdate: invalid value for --format: 'pdf' is not a report format (html, csv, json or junit)",
          firstLine(report(server, "inventory", "--format", "pdf")));
      assertEquals("smartupdate: --baseline is for report compliance only", firstLine(report(server, "inventory", "--baseline", "gen10")));
      assertEquals(2, report(server, "deploy", "../x").code());
    }
  }

  private static String firstLine(CliRun run) {
    assertEquals(2, run.code(), run.err());
    return run.err().lines().findFirst().orElse("");
  }
}
