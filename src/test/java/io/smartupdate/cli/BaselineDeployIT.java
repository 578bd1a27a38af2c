package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** deploy without --image: each node analysed against a repository baseline, planned, printed (--dry-run) or run step by step. */
@Timeout(120)
class BaselineDeployIT {
  @TempDir Path dir;
  private DeployFixture fixture;
  private Path passwordFile;

  @BeforeEach
  void start() throws Exception {
    fixture = new DeployFixture(dir, 64 * 1024);
    passwordFile = Files.writeString(dir.resolve("bmc-password"), FakeBmc.PASSWORD + "\n");
    Path repo = fixture.server.repo();
    String ilo = entry("ilo", "bmc", DeployFixture.IMAGE, Files.readAllBytes(repo.resolve(DeployFixture.IMAGE)), "2.00", "^iLO 5$",
        ",\"reboot\":\"bmc\",\"minimumActiveVersion\":\"1.50\"");
    String rom = entry("rom", "bios", "hpe/rom.flash", Samples.write(repo.resolve("hpe/rom.flash"), 4096, 2), "2.20.0", "^System ROM$",
        ",\"applyTime\":\"OnReset\",\"reboot\":\"host\"");
    String nic = entry("nic", "nic", "nic/nic.bin", Samples.write(repo.resolve("nic/nic.bin"), 2048, 3), "1.1", "^NIC$", ",\"requires\":[\"rom\"]");
    String hop = entry("ilo-1.50", "bmc", "hpe/ilo5_150.bin", Samples.write(repo.resolve("hpe/ilo5_150.bin"), 4096, 150), "1.50", "^iLO 5$",
        ",\"reboot\":\"bmc\"");
    Files.writeString(repo.resolve("baseline.json"), "{\"components\":[" + ilo + "," + rom + "," + nic + "]}");
    Files.createDirectories(repo.resolve("baselines"));
    Files.writeString(repo.resolve("baselines/hops.json"), "{\"components\":[" + hop + "]}");
    Files.writeString(repo.resolve("baselines/bmc-only.json"), "{\"components\":["
        + ilo.replace(",\"minimumActiveVersion\":\"1.50\"", "") + "]}");
    for (String name : List.of("default", "hops", "bmc-only")) {
      // every file hashed: the baseline is served without a pending component
      assertEquals(200, fixture.server.getString(Scheme.HTTP, "/api/baselines/" + name).statusCode());
    }
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** One manifest entry for {@code content} (also for DeployResumeIT's baselines). */
  static String entry(String id, String cls, String file, byte[] content, String version, String nameRegex, String more) {
    return "{\"id\":\"" + id + "\",\"class\":\"" + cls + "\",\"file\":\"" + file + "\",\"sha256\":\"" + Samples.sha256(content)
        + "\",\"size\":" + content.length + ",\"version\":\"" + version + "\",\"match\":{\"nameRegex\":\"" + nameRegex + "\"}" + more + "}";
  }

  private CliRun deploy(List<RedfishStub> stubs, String... extra) {
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--user", FakeBmc.USER,
        "--password-file", passwordFile.toString(), "--bmc-ca", fixture.caPem.toString(), "--fetch-timeout", "10", "--timeout", "30"));
    for (RedfishStub stub : stubs) args.addAll(List.of("--bmc", stub.address()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void dryRunPrintsEachNodesStepsInOrderWithHopsRebootsAndApplyTimesAndStartsNothing() throws Exception {
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> b.extraMembers.add(FakeBmc.item("nic1", "NIC", "1.0")));
    CliRun run = deploy(List.of(ilo), "--dry-run");
    assertEquals(0, run.code(), run.out() + run.err());
    String node = "bmc-" + ilo.address();
    assertEquals(String.join("\n",
        "plan for baseline default, 1 node (--reboot if-needed)",
        node + ": 4 steps",
        "  1. rom hpe/rom.flash 2.19.1 -> 2.20.0, apply OnReset, then host reboot (ComputerSystem.Reset)",
        "  2. nic nic/nic.bin 1.0 -> 1.1, apply Immediate",
        "  3. ilo-1.50 hpe/ilo5_150.bin 1.00 -> 1.50 (intermediate: a later step needs it active), apply Immediate, then the BMC resets",
        "  4. ilo hpe/ilo5_310.bin 1.50 -> 2.00, apply Immediate, then the BMC resets", ""), run.out().replace(System.lineSeparator(), "\n"));
    assertNull(ilo.bmc.lastSimpleUpdate, "a dry run starts nothing");
  }

  @Test
  void anInputFileGivesTheTargetsCredentialsBaselineAndDryRun() throws Exception {
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    Path input = Files.writeString(dir.resolve("run.yaml"), "targets: [\"" + ilo.address() + "\"]\n"
        + "credentials: {user: " + FakeBmc.USER + ", passwordFile: bmc-password}\nbmcCa: bmc-ca.pem\nbaseline: bmc-only\n"
        + "options: {dryRun: true, reboot: never}\n");
    CliRun run = CliRun.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)), "--data", dir.resolve("data").toString(),
        "--logdir", dir.resolve("deploy-logs").toString(), "--input", input.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().startsWith("plan for baseline bmc-only, 1 node (--reboot never)"), run.out());
    assertTrue(run.out().contains("  1. ilo hpe/ilo5_310.bin 1.00 -> 2.00, apply Immediate, then the BMC resets"), run.out());
    assertNull(ilo.bmc.lastSimpleUpdate, "a dry run starts nothing");
  }

  @Test
  void aNodeWithoutItsHopIsBlockedNamingTheMissingVersionAndExitsOne() throws Exception {
    Files.delete(fixture.server.repo().resolve("baselines/hops.json"));
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    CliRun run = deploy(List.of(ilo), "--dry-run", "--reboot", "never");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("bmc-" + ilo.address() + ": blocked, nothing will be started"), run.out());
    assertTrue(run.out().contains("  blocked ilo: installed 1.00 is below the minimum active version 1.50 of 2.00, and the repository has no "
        + "ilo at version 1.50 or later below 2.00 to apply first"), run.out());
  }

  @Test
  void aBaselineRunAppliesTheNodesStepAndJudgesItAgainstItsExpectedVersion() throws Exception {
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    RedfishStub current = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.installed("2.00"));
    CliRun run = deploy(List.of(ilo), "--baseline", "bmc-only");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().lines().anyMatch(l -> l.contains(ilo.address()) && l.contains("  updated  ")), run.out());
    assertTrue(ilo.bmc.lastSimpleUpdate != null, "the step was sent");
    CliRun nothing = deploy(List.of(current), "--baseline", "bmc-only");
    assertEquals(0, nothing.code(), nothing.out() + nothing.err());
    assertTrue(nothing.out().contains("bmc-" + current.address() + ": nothing to apply"), nothing.out());
  }

  @Test
  void aNodeThatCannotBeAnalysedIsReportedFailedAndTheRunExitsOneWhileTheOthersRun() throws Exception {
    RedfishStub ilo = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
    RedfishStub refusing = fixture.stub(FakeBmc.Dialect.ILO5, b -> b.refuseLogin = true);
    CliRun run = deploy(List.of(ilo, refusing), "--baseline", "bmc-only");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.out().lines().anyMatch(l -> l.contains(ilo.address()) && l.contains("  updated  ")), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.contains(refusing.address()) && l.contains("failed") && l.contains("not analysed")), run.out());
  }

  @Test
  void imageAndBaselineTogetherOrABadRebootAreUsageErrors() {
    CliRun both = deploy(List.of(), "--bmc", "127.0.0.1:1", "--image", DeployFixture.IMAGE, "--baseline", "default");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("--image deploys one image; --baseline, --downgrade and --rewrite plan a baseline: give one or the other"), both.err());
    CliRun reboot = deploy(List.of(), "--bmc", "127.0.0.1:1", "--reboot", "sometimes");
    assertEquals(2, reboot.code());
    assertTrue(reboot.err().contains("invalid value for --reboot: 'sometimes' (expected never, if-needed or always)"), reboot.err());
  }
}
