package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.FirmwareSlots.Applies;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when: a three-component plan (a ROM that applies at the host's restart, a NIC
 * applied at once, the BMC's own firmware that resets the BMC) completes on iLO 6-, iDRAC 9- and
 * OpenBMC-shaped stubs, with one host reset each; --reboot never leaves the ROM staged.
 */
@Timeout(120)
class BaselineRebootIT {
  private static final String BMC_NAMES = "^(iLO 6|Integrated Dell Remote Access Controller|bmc_active)$";
  @TempDir Path dir;
  private DeployFixture fixture;
  private Path passwordFile;
  private final Map<String, String> shas = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    fixture = new DeployFixture(dir, 16 * 1024);
    passwordFile = Files.writeString(dir.resolve("bmc-password"), FakeBmc.PASSWORD + "\n");
    Path repo = fixture.server.repo();
    String rom = entry("rom", "bios", "fw/rom.flash", Samples.write(repo.resolve("fw/rom.flash"), 8192, 2), "2.20.0", "^(System ROM|BIOS)$",
        ",\"applyTime\":\"OnReset\",\"reboot\":\"host\"");
    String nic = entry("nic", "nic", "fw/nic.bin", Samples.write(repo.resolve("fw/nic.bin"), 4096, 3), "1.1", "^NIC$", "");
    String bmc = entry("bmc", "bmc", "fw/bmc.bin", Samples.write(repo.resolve("fw/bmc.bin"), 8192, 4), "2.50", BMC_NAMES, ",\"reboot\":\"bmc\"");
    Files.writeString(repo.resolve("baseline.json"), "{\"components\":[" + bmc + "," + rom + "," + nic + "]}");
    assertEquals(200, fixture.server.getString(Scheme.HTTP, "/api/baselines/default").statusCode());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private String entry(String id, String cls, String file, byte[] content, String version, String nameRegex, String more) {
    shas.put(id, Samples.sha256(content));
    return "{\"id\":\"" + id + "\",\"class\":\"" + cls + "\",\"file\":\"" + file + "\",\"sha256\":\"" + Samples.sha256(content)
        + "\",\"size\":" + content.length + ",\"version\":\"" + version + "\",\"match\":{\"nameRegex\":\"" + nameRegex.replace("\\", "\\\\") + "\"}"
        + more + "}";
  }

  /** A stub whose host and BMC take long enough to restart that deploy's default 2 s polls see them away. */
  private RedfishStub stub(FakeBmc.Dialect dialect) throws Exception {
    return fixture.stub(dialect, b -> {
      b.extraMembers.add(FakeBmc.item("nic1", "NIC", "1.0"));
      b.refuseConnectionsWhileDown = true;
      b.slots.hostDown = Duration.ofMillis(2500);
      b.slots.bmcDown = Duration.ofSeconds(3);
      b.firmware("bmc.bin", b.bmcName(), "2.50", Applies.BMC_RESET, shas.get("bmc"))
          .firmware("rom.flash", b.biosName(), "2.20.0", Applies.HOST_RESET, shas.get("rom"))
          .firmware("nic.bin", "NIC", "1.1", Applies.IMMEDIATE, shas.get("nic"));
    });
  }

  private CliRun deploy(List<RedfishStub> stubs, String... extra) {
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--user", FakeBmc.USER,
        "--password-file", passwordFile.toString(), "--bmc-ca", fixture.caPem.toString(), "--fetch-timeout", "10", "--timeout", "40"));
    for (RedfishStub stub : stubs) args.addAll(List.of("--bmc", stub.address()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void aThreeComponentPlanWithAHostRebootAndABmcResetCompletesOnIloIdracAndOpenBmc() throws Exception {
    List<RedfishStub> stubs = List.of(stub(FakeBmc.Dialect.ILO6), stub(FakeBmc.Dialect.IDRAC9), stub(FakeBmc.Dialect.OPENBMC));
    CliRun plan = deploy(stubs, "--dry-run");
    assertEquals(0, plan.code(), plan.out() + plan.err());
    CliRun run = deploy(stubs);
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(!run.err().contains("does not reboot hosts"), run.err());
    for (RedfishStub stub : stubs) {
      FakeBmc b = stub.bmc;
      String why = b.bmcName() + ": " + b.slots.journal + "\n" + run.out();
      assertEquals(List.of("flash rom.flash OnReset", "staged rom.flash", "flash nic.bin Immediate", "host reset GracefulRestart", "host On",
          "flash bmc.bin Immediate", "bmc reset"), b.slots.journal, why);
      assertTrue(b.slots.powerServed.containsAll(List.of("Off", "PoweringOn")), "deploy waited through PowerState " + b.slots.powerServed);
      assertEquals("On", b.slots.powerServed.get(b.slots.powerServed.size() - 1), why);
      assertTrue(b.sessionsOpened.get() >= 2, "logged in again after the BMC reset: " + b.sessionsOpened.get() + " logins");
      assertEquals("2.20.0", b.versionOf(b.biosName()), why);
      assertEquals("1.1", b.versionOf("NIC"), why);
      assertEquals("2.50", b.versionOf(b.bmcName()), why);
      assertTrue(run.out().contains("host reboot: ComputerSystem.Reset (GracefulRestart)"), run.out());
    }
    assertTrue(run.out().lines().filter(l -> l.contains("  updated  ")).count() >= 3, run.out());
  }

  @Test
  void rebootNeverLeavesTheRomStagedAndUnverifiedAndSendsNoReset() throws Exception {
    RedfishStub ilo = stub(FakeBmc.Dialect.ILO6);
    CliRun run = deploy(List.of(ilo), "--reboot", "never");
    assertEquals(0, run.code(), run.out() + run.err());
    FakeBmc b = ilo.bmc;
    assertEquals(List.of("flash rom.flash OnReset", "staged rom.flash", "flash nic.bin Immediate", "flash bmc.bin Immediate", "bmc reset"),
        b.slots.journal);
    assertTrue(b.slots.journal("host").isEmpty(), "no ComputerSystem.Reset: " + b.slots.journal);
    assertEquals("2.19.1", b.versionOf(b.biosName()), "the ROM waits for the host's next restart");
    assertTrue(run.out().contains("staged; applies at next host reboot (--reboot never): not verified"), run.out());
  }
}
