package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Reboot;
import io.smartupdate.redfish.FirmwareSlots.Applies;
import io.smartupdate.testing.Samples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Host restarts and apply times against stub BMCs at test pace: --reboot always, a BMC without a fitting ResetType, an unlisted OnReset. */
@Timeout(60)
class HostRebootIT {
  @TempDir Path dir;
  private DeployFixture fixture;
  private String romSha;
  private String nicSha;

  @BeforeEach
  void start() throws Exception {
    fixture = new DeployFixture(dir, 4096);
    romSha = Samples.sha256(Samples.write(fixture.server.repo().resolve("fw/rom.flash"), 4096, 2));
    nicSha = Samples.sha256(Samples.write(fixture.server.repo().resolve("fw/nic.bin"), 2048, 3));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private RedfishStub stub(Consumer<FakeBmc> configure) throws Exception {
    return fixture.stub(FakeBmc.Dialect.ILO6, b -> {
      b.extraMembers.add(FakeBmc.item("nic1", "NIC", "1.0"));
      b.firmware("rom.flash", b.biosName(), "2.20.0", Applies.HOST_RESET, romSha).firmware("nic.bin", "NIC", "1.1", Applies.IMMEDIATE, nicSha);
      configure.accept(b);
    });
  }

  private BmcResult deploy(RedfishStub stub, RebootPolicy reboot, Step... steps) throws Exception {
    DeployOptions options = new DeployOptions(null, List.of(), null, Duration.ofSeconds(10), Duration.ofSeconds(20), 1, false, false)
        .withPacing(DeployFixture.FAST).withReboot(reboot);
    return new Deployer(fixture.api(), BmcTls.trusting(fixture.caPem), options, fixture.events::add)
        .run(List.of(DeployFixture.bmc(stub)), Map.of(stub.address(), List.of(steps))).get(0);
  }

  private static Step rom() {
    return new Step("fw/rom.flash", "2.20.0", List.of(), ApplyTime.OnReset, Reboot.HOST);
  }

  private static Step nic() {
    return new Step("fw/nic.bin", "1.1", List.of(), ApplyTime.Immediate, Reboot.NONE);
  }

  @Test
  void rebootAlwaysRestartsTheHostOnceAtTheEndEvenWithoutAStagedStep() throws Exception {
    RedfishStub stub = stub(b -> {});
    BmcResult result = deploy(stub, RebootPolicy.ALWAYS, nic());
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals(List.of("flash nic.bin Immediate", "host reset GracefulRestart", "host On"), stub.bmc.slots.journal);
    assertTrue(stub.bmc.slots.powerServed.contains("Off"), "waited for the host to go Off: " + stub.bmc.slots.powerServed);
  }

  @Test
  void aBmcWithoutAFittingResetTypeFailsTheStagedStepNamingWhatItAllows() throws Exception {
    RedfishStub stub = stub(b -> b.slots.resetTypes = List.of("On", "ForceOff", "Nmi"));
    BmcResult result = deploy(stub, RebootPolicy.IF_NEEDED, rom());
    assertEquals(BmcResult.Outcome.FAILED, result.outcome());
    assertEquals("BMC " + stub.address() + " allows ResetType [On, ForceOff, Nmi] for ComputerSystem.Reset on /redfish/v1/Systems/1, none of "
        + "GracefulRestart, ForceRestart, PowerCycle: restart the host yourself, or deploy with --reboot never", result.reason());
    assertTrue(stub.bmc.slots.journal("host").isEmpty(), "no reset was sent: " + stub.bmc.slots.journal);
  }

  @Test
  void anOnResetTheBmcDoesNotListFallsBackToImmediateSaysSoAndStillRestartsTheHost() throws Exception {
    RedfishStub stub = stub(b -> b.slots.applyTimes = List.of("Immediate"));
    BmcResult result = deploy(stub, RebootPolicy.IF_NEEDED, rom(), nic());
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals(List.of("Immediate", "Immediate"), stub.bmc.slots.applyTimesReceived);
    assertTrue(fixture.messages(stub).contains("the BMC does not list OnReset in @Redfish.OperationApplyTimeSupport (it lists Immediate); "
        + "sending Immediate"), fixture.messages(stub).toString());
    assertEquals(List.of("flash rom.flash Immediate", "staged rom.flash", "flash nic.bin Immediate", "host reset GracefulRestart", "host On"),
        stub.bmc.slots.journal);
    assertEquals("2.20.0", stub.bmc.versionOf(stub.bmc.biosName()));
    assertTrue(fixture.messages(stub).contains("updated (before 2.19.1, after 2.20.0)"), "the ROM verified after the restart: "
        + fixture.messages(stub));
  }
}
