package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.Fleet;
import io.smartupdate.baseline.Match;
import io.smartupdate.compliance.ComplianceServer;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** analyze against stub BMCs shaped like iLO 5, iLO 6, iDRAC 9 and OpenBMC: every action kind, every exit code. */
@Timeout(120)
class AnalyzeCommandIT {
  @TempDir static Path dir;
  static DeployFixture bmcs;
  static ComplianceServer server;
  static RedfishStub ilo5;
  static RedfishStub ilo6;
  static RedfishStub idrac;
  static RedfishStub openbmc;
  static Path password;

  static Component component(String id, String version, Match match, String minimum) {
    return Fleet.withRules(Fleet.component(id, version, match), minimum, List.of());
  }

  @BeforeAll
  static void fleet() throws Exception {
    bmcs = new DeployFixture(dir, 1024);
    server = ComplianceServer.start(dir.resolve("data"));
    ilo5 = bmcs.stub(FakeBmc.Dialect.ILO5, b -> b.installed("3.00"));
    ilo6 = bmcs.stub(FakeBmc.Dialect.ILO6, b -> b.installed("1.40"));
    idrac = bmcs.stub(FakeBmc.Dialect.IDRAC9, b -> b.installed("7.00.00.00"));
    // A PSU whose Version is a number: an odd shape, read as a member without a Version.
    openbmc = bmcs.stub(FakeBmc.Dialect.OPENBMC, b -> b.extraMembers.add(FakeBmc.item("psu0", "psu0", "x").put("Version", 12)));
    server.baselines.put(Baseline.DEFAULT, new Baseline(Baseline.DEFAULT, List.of(
        component("ilo5", "3.10", new Match(null, List.of(FakeBmc.ILO_TARGET), FakeBmc.ILO_DEVICE_CLASS, null, null, List.of("Gen10"), null, null), null),
        component("rom", "2.19.1", new Match(null, List.of(FakeBmc.ROM_TARGET), null, null, null, null, null, null), null),
        component("ilo6", "1.60", new Match(null, null, null, null, null, List.of("Gen11"), null, "^iLO 6$"), "1.50"),
        component("idrac", "6.10.30.00", new Match(null, null, null, "25227", null, null, List.of("0A6B"), null), null),
        component("psu", "1.0", Fleet.byName("^psu"), null))));
    server.baselines.put("rom-only", new Baseline("rom-only", List.of(component("rom", "2.19.1",
        new Match(null, List.of(FakeBmc.ROM_TARGET), null, null, null, null, null, null), null))));
    password = Files.writeString(dir.resolve("pw"), FakeBmc.PASSWORD + "\n");
  }

  @AfterAll
  static void stop() {
    server.close();
    bmcs.close();
  }

  private static CliRun analyze(List<RedfishStub> stubs, String... extra) {
    List<String> args = new ArrayList<>(List.of("analyze", "--port", String.valueOf(server.port()), "--data", dir.resolve("data").toString(),
        "--logdir", dir.resolve("logs").toString(), "--user", FakeBmc.USER, "--password-file", password.toString(), "--bmc-ca", bmcs.caPem.toString()));
    for (RedfishStub stub : stubs) args.addAll(List.of("--bmc", stub.address()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static String node(RedfishStub stub) {
    return "bmc-" + stub.address();
  }

  @Test
  void everyActionKindAppearsAndUpdatesNeededExitZero() throws Exception {
    CliRun run = analyze(List.of(ilo5, ilo6, idrac, openbmc), "--csv");
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("node,component,name,installed,available,action,reason", lines.get(0));
    assertTrue(lines.contains(node(ilo5) + ",ilo5,ilo5 firmware,3.00,3.10,update,installed 3.00 is older than 3.10"), run.out());
    assertTrue(lines.contains(node(ilo5) + ",rom,rom firmware,2.19.1,2.19.1,up-to-date,installed 2.19.1 is the baseline's version"), run.out());
    assertTrue(lines.contains(node(ilo5) + ",ilo6,ilo6 firmware,,1.60,not-applicable,\"the component is for models [Gen11], not ProLiant DL380 Gen10\""), run.out());
    assertTrue(lines.contains(node(ilo6) + ",ilo6,ilo6 firmware,1.40,1.60,blocked,installed 1.40 is below the minimum active version 1.50: update to 1.50 first"), run.out());
    assertTrue(lines.contains(node(idrac) + ",idrac,idrac firmware,7.00.00.00,6.10.30.00,downgrade,"
        + "installed 7.00.00.00 is newer than 6.10.30.00; skipped (pass --downgrade to apply 6.10.30.00)"), run.out());
    assertTrue(lines.contains(node(openbmc) + ",psu,psu firmware,,1.0,unknown,\"member psu0 reports no Version string\"")
        || lines.contains(node(openbmc) + ",psu,psu firmware,,1.0,unknown,member psu0 reports no Version string"), run.out());
    Set<String> actions = new TreeSet<>();
    lines.stream().skip(1).forEach(l -> actions.add(l.split(",")[5]));
    // The server stored each node's inventory: the compliance API answers from it.
    assertEquals("ProLiant DL380 Gen11", Json.MAPPER.readTree(get("/api/nodes/" + node(ilo6).replace(":", "%3A") + "/inventory"))
        .path("inventory").path("model").asText());
    assertEquals(Set.of("update", "up-to-date", "not-applicable", "blocked", "downgrade", "unknown"), actions);
  }

  @Test
  void rewriteFlashesTheUpToDateComponentAgainAndTheTableSaysSo() {
    CliRun run = analyze(List.of(ilo5), "--rewrite");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains(node(ilo5) + " (" + ilo5.address() + ") ProLiant DL380 Gen10: 1 update, 1 rewrite against baseline default"), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("rom +2\\.19\\.1 +2\\.19\\.1 +rewrite +installed 2\\.19\\.1 is the baseline's version; "
        + "--rewrite flashes it again")), run.out());
    assertTrue(run.out().endsWith("Nodes: 1, not analysed: 0, complying: 0" + System.lineSeparator()), run.out());
  }

  @Test
  void everyNodeComplyingExitsThree() throws Exception {
    CliRun run = analyze(List.of(ilo5, ilo6), "--baseline", "rom-only", "--json");
    assertEquals(3, run.code(), run.out() + run.err());
    JsonNode doc = Json.MAPPER.readTree(run.out());
    assertEquals("rom-only", doc.path("baseline").asText());
    assertEquals("up-to-date", doc.path("nodes").path(1).path("findings").path(0).path("action").asText());
  }

  @Test
  void aNodeNotAnalysedExitsOneWithItsReasonInTheTable() {
    RedfishStub refusing;
    try {
      refusing = bmcs.stub(FakeBmc.Dialect.IDRAC9, b -> b.refuseLogin = true);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    CliRun run = analyze(List.of(ilo5, refusing));
    assertEquals(1, run.code(), run.err());
    assertTrue(run.out().contains(node(refusing) + " (" + refusing.address() + "): NOT ANALYSED: BMC " + refusing.address()
        + " refused the login of user 'admin'"), run.out());
  }

  @Test
  void anUnknownBaselineIsAUsageErrorBeforeAnyBmcIsTouched() {
    int sessions = ilo5.bmc.sessionsOpened.get();
    CliRun run = analyze(List.of(ilo5), "--baseline", "gen12");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("--baseline gen12: no baseline \"gen12\" in the repository (baselines/gen12.json); GET /api/baselines lists them"),
        run.err());
    assertEquals(sessions, ilo5.bmc.sessionsOpened.get());
    assertEquals(2, analyze(List.of(ilo5), "--json", "--csv").code());
  }

  private static String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
