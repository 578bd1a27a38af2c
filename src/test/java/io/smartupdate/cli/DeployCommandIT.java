package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code smartupdate deploy} command line, in-process with captured streams, against stub BMCs and a real server. */
@Timeout(120)
class DeployCommandIT {
  @TempDir Path dir;
  private DeployFixture fixture;
  private Path passwordFile;

  @BeforeEach
  void start() throws Exception {
    fixture = new DeployFixture(dir, 128 * 1024);
    passwordFile = Files.writeString(dir.resolve("bmc-password"), FakeBmc.PASSWORD + "\n");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static CliRun run(List<String> args) {
    return CliRun.of(args.toArray(String[]::new));
  }

  /** deploy against the fixture's running server, with these BMCs and extra options. */
  private List<String> deploy(List<RedfishStub> stubs, String... extra) {
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--user", FakeBmc.USER,
        "--password-file", passwordFile.toString(), "--image", DeployFixture.IMAGE, "--bmc-ca", fixture.caPem.toString(),
        "--fetch-timeout", "10", "--timeout", "30"));
    for (RedfishStub stub : stubs) args.addAll(List.of("--bmc", stub.address()));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void twoBmcsUpdateAndTheSummaryTableSaysSo() throws Exception {
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    RedfishStub idrac = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    CliRun run = run(deploy(List.of(ilo, idrac)));
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("BMC") && run.out().contains("BEFORE") && run.out().contains("AFTER") && run.out().contains("RESULT"), run.out());
    assertTrue(run.out().contains(ilo.address() + "  downloading"), "plain progress lines: " + run.out());
    assertTrue(run.out().contains("2 of 2 BMCs finished"), run.out());
    assertEquals(2, run.out().lines().filter(l -> l.contains("  updated  ")).count(), run.out());
    assertFalse((run.out() + run.err()).contains(FakeBmc.PASSWORD), "the password is never printed");
    JsonNode nodes = Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, "/api/nodes").body()).path("nodes");
    assertEquals(2, nodes.size(), nodes.toString());
    assertTrue(Files.readString(dir.resolve("deploy-logs/deploy.log")).contains("deploying hpe/ilo5_310.bin to 2 BMCs"), "deploy's own log file");
    nodes.forEach(n -> assertEquals("complete", n.path("phase").asText(), n.toString()));
  }

  @Test
  void oneFailingBmcExits1AndTheTableNamesTheReason() throws Exception {
    RedfishStub good = fixture.stub(FakeBmc.Dialect.DMTF, b -> {});
    RedfishStub bad = fixture.stub(FakeBmc.Dialect.ILO6, b -> b.refuseLogin = true);
    CliRun run = run(deploy(List.of(good, bad)));
    assertEquals(1, run.code(), run.out() + run.err());
    String badRow = run.out().lines().filter(l -> l.startsWith(bad.address() + " ")).reduce((a, b) -> b).orElse("");
    assertTrue(badRow.contains("failed") && badRow.endsWith("refused the login of user 'admin' (401): check --user and the password"
        + " (--password-file or SMARTUPDATE_BMC_PASSWORD)"), run.out());
    assertTrue(run.out().contains("1 of 2 BMCs finished"), run.out());
  }

  @Test
  @Timeout(300)
  void fiftyBmcsFromABmcFileAtParallel16WithThreeFailingExit1AndTheTableListsAll() throws Exception {
    List<String> lines = new ArrayList<>(List.of("# fifty lab BMCs"));
    List<RedfishStub> stubs = new ArrayList<>();
    FakeBmc.Dialect[] dialects = FakeBmc.Dialect.values();
    for (int i = 0; i < 50; i++) {
      boolean failing = i == 3 || i == 26 || i == 49;
      RedfishStub stub = fixture.stub(dialects[i % dialects.length], b -> b.refuseLogin = failing);
      stubs.add(stub);
      lines.add(stub.address() + (i % 2 == 0 ? "" : " " + FakeBmc.USER + " bmc-password"));
    }
    Path bmcFile = Files.write(dir.resolve("bmcs.txt"), lines);
    CliRun run = run(deploy(List.of(), "--bmc-file", bmcFile.toString(), "--parallel", "16"));
    assertEquals(1, run.code(), run.err());
    String table = run.out().substring(run.out().lastIndexOf("BMC  "));
    for (int i = 0; i < 50; i++) {
      String address = stubs.get(i).address();
      String row = table.lines().filter(l -> l.startsWith(address + " ")).findFirst().orElse("");
      boolean failing = i == 3 || i == 26 || i == 49;
      assertTrue(row.contains(failing ? "  failed  " : "  updated  "), "row " + i + ": " + row);
    }
    assertTrue(table.contains("47 of 50 BMCs finished"), table);
  }

  @Test
  void anImageNotInTheCatalogIsAUsageErrorBeforeAnyBmcIsTouched() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    List<String> args = deploy(List.of(stub));
    args.set(args.indexOf(DeployFixture.IMAGE), "hpe/ilo5_999.bin");
    CliRun run = run(args);
    assertEquals(2, run.code(), run.out());
    assertTrue(run.err().startsWith("smartupdate: --image hpe/ilo5_999.bin is not in the repository the server at http://127.0.0.1:"), run.err());
    assertEquals(0, stub.bmc.sessionsOpened.get(), "no BMC was logged in to");
  }

  @Test
  void silentPrintsOnlyTheFailures() throws Exception {
    RedfishStub good = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    RedfishStub bad = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.refuseLogin = true);
    CliRun run = run(deploy(List.of(good, bad), "/s"));
    assertEquals(1, run.code());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("smartupdate: BMC " + bad.address() + " refused the login"), run.err());
  }

  @Test
  void jsonIsOneObjectPerLineEndingWithTheResults() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.OPENBMC, b -> {});
    CliRun run = run(deploy(List.of(stub), "--json"));
    assertEquals(0, run.code(), run.err());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) lines.add(Json.MAPPER.readTree(line));
    assertTrue(lines.size() > 3, run.out());
    assertTrue(lines.stream().limit(lines.size() - 1).allMatch(l -> l.path("type").asText().equals("event")), run.out());
    JsonNode result = lines.get(lines.size() - 1);
    assertEquals("result", result.path("type").asText());
    assertEquals("UPDATED", result.path("outcome").asText());
    assertEquals(stub.address(), result.path("bmc").asText());
  }

  @Test
  void dryRunInSumFormStartsNothingAndNamesTheNodeByTheHint() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    CliRun run = run(List.of("deploy", "/port", String.valueOf(fixture.server.port(Scheme.HTTP)), "/data", dir.resolve("data").toString(),
        "/logdir", dir.resolve("deploy-logs").toString(), "/target", stub.address(), "/user", FakeBmc.USER, "/targettype", "ilo5",
        "--password-file", passwordFile.toString(), "/image", DeployFixture.IMAGE, "--bmc-ca", fixture.caPem.toString(), "/dryrun"));
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("would POST /redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate"), run.out());
    assertTrue(run.out().contains("dry run"), run.out());
    assertEquals(null, stub.bmc.lastSimpleUpdate);
    JsonNode nodes = Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, "/api/nodes").body()).path("nodes");
    assertEquals("ilo5-" + stub.address(), nodes.get(0).path("node").asText());
  }

  @Test
  void aFirstCtrlCStartsNothingNewAndASecondExitsLeavingTheUpdateInFlight() throws Exception {
    RedfishStub inFlight = fixture.stub(FakeBmc.Dialect.ILO6, b -> b.neverFetch = true);
    RedfishStub waiting = fixture.stub(FakeBmc.Dialect.ILO6, b -> {});
    // A shell runs background jobs with SIGINT ignored, and a JVM keeps an ignored SIGINT ignored: start deploy with
    // it at its default, as a terminal's foreground job has it, whatever way the test run itself was started.
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", LaunchedServer.LAUNCHER.toString()));
    command.addAll(deploy(List.of(inFlight, waiting), "--parallel", "1"));
    command.set(command.indexOf("--fetch-timeout") + 1, "100");
    Path out = dir.resolve("deploy.out");
    Process deploy = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      for (long end = System.nanoTime() + 60_000_000_000L; inFlight.bmc.lastSimpleUpdate == null; Thread.sleep(50)) {
        assertTrue(System.nanoTime() < end && deploy.isAlive(), "the update never started: " + Files.readString(out));
      }
      assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(deploy.pid())).start().waitFor());
      for (long end = System.nanoTime() + 20_000_000_000L; !Files.readString(out).contains("smartupdate: interrupted: no new BMC"); Thread.sleep(50)) {
        assertTrue(deploy.isAlive(), "deploy ended on the first Ctrl-C (exit " + (deploy.isAlive() ? "-" : deploy.exitValue()) + "): " + Files.readString(out));
        assertTrue(System.nanoTime() < end, "no word of the first Ctrl-C: " + Files.readString(out));
      }
      assertTrue(deploy.isAlive(), "the update in flight is still followed");
      assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(deploy.pid())).start().waitFor());
      assertTrue(deploy.waitFor(20, TimeUnit.SECONDS), "deploy exits on the second Ctrl-C");
      assertEquals(130, deploy.exitValue(), Files.readString(out));
    } finally {
      deploy.destroyForcibly();
    }
    assertEquals(inFlight.bmc.sessionsOpened.get(), inFlight.bmc.sessionsDeleted.get(), "the Redfish session was deleted");
    assertEquals(1, openHandoffSessions(), "the BMC's one-time URL is left open for the update in flight (it expires when idle)");
    assertEquals(0, waiting.bmc.sessionsOpened.get(), "the BMC not started was never touched");
  }

  private int openHandoffSessions() throws Exception {
    return Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, "/api/handoff").body()).path("sessions").size();
  }

  @Test
  void withoutARunningServerDeployStartsOneInProcess() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    int handoff = Ports.freeRange(4);
    CliRun run = run(List.of("deploy", "--port", "0", "--ssl-port", "0", "--handoff-ports", handoff + "-" + (handoff + 3),
        "--repo", fixture.server.repo().toString(), "--data", dir.resolve("own-data").toString(), "--certs", dir.resolve("own-certs").toString(),
        "--logdir", dir.resolve("own-logs").toString(), "--bmc", stub.address(), "--user", FakeBmc.USER, "--password-file", passwordFile.toString(),
        "--image", DeployFixture.IMAGE, "--bmc-ca", fixture.caPem.toString(), "--fetch-timeout", "10", "--timeout", "30"));
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("no server was running; started one here: smartupdate ready http="), run.err());
    assertTrue(stub.bmc.lastSimpleUpdate.path("ImageURI").asText().matches("https://127\\.0\\.0\\.1:" + "(" + handoff + "|" + (handoff + 1) + "|"
        + (handoff + 2) + "|" + (handoff + 3) + ")/firmware/hpe/ilo5_310\\.bin\\?session=.+"), stub.bmc.lastSimpleUpdate.toString());
  }
}
