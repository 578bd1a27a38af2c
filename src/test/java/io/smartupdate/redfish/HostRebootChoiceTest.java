package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Reboot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ResetType a host restart sends and the @Redfish.OperationApplyTime a step sends, from what the BMC allows. */
class HostRebootChoiceTest {
  @Test
  void gracefulRestartIsPreferredThenForceRestartThenPowerCycle() {
    assertEquals("GracefulRestart", HostReset.resetType(List.of("On", "ForceOff", "ForceRestart", "GracefulRestart", "PowerCycle"), true));
    assertEquals("ForceRestart", HostReset.resetType(List.of("On", "ForceOff", "PowerCycle", "ForceRestart"), true));
    assertEquals("PowerCycle", HostReset.resetType(List.of("On", "ForceOff", "PowerCycle"), true));
  }

  @Test
  void noFittingResetTypeIsNullAndAnUnlistedOneIsGracefulRestart() {
    assertNull(HostReset.resetType(List.of("On", "ForceOff", "Nmi"), true));
    assertEquals("GracefulRestart", HostReset.resetType(List.of(), true), "a BMC that lists nothing is not held to a list");
  }

  @Test
  void aHostThatIsOffIsPoweredOnWhenTheBmcAllowsIt() {
    assertEquals("On", HostReset.resetType(List.of("On", "ForceOff", "GracefulRestart"), false));
    assertEquals("GracefulRestart", HostReset.resetType(List.of("ForceOff", "GracefulRestart"), false));
  }

  @Test
  void theWantedApplyTimeIsSentWhereTheBmcListsIt() {
    ApplyTimeChoice onReset = ApplyTimeChoice.of(ApplyTime.OnReset, Set.of("Immediate", "OnReset"));
    assertEquals(new ApplyTimeChoice(ApplyTime.OnReset, ApplyTime.OnReset, null), onReset);
    assertEquals(new ApplyTimeChoice(null, null, null), ApplyTimeChoice.of(null, Set.of("Immediate", "OnReset")), "--image steps send none");
  }

  @Test
  void anUnlistedOnResetFallsBackToImmediateAndSaysSo() {
    ApplyTimeChoice choice = ApplyTimeChoice.of(ApplyTime.OnReset, Set.of("Immediate"));
    assertEquals(ApplyTime.Immediate, choice.sent());
    assertEquals("the BMC does not list OnReset in @Redfish.OperationApplyTimeSupport (it lists Immediate); sending Immediate", choice.note());
    ApplyTimeChoice immediate = ApplyTimeChoice.of(ApplyTime.Immediate, Set.of("OnReset"));
    assertEquals(ApplyTime.OnReset, immediate.applies(), "an image sent OnReset waits for the host's restart");
  }

  @Test
  void aBmcThatListsNoApplyTimeIsSentNoneAndAnOnResetStepSaysSo() {
    ApplyTimeChoice choice = ApplyTimeChoice.of(ApplyTime.OnReset, Set.of());
    assertNull(choice.sent());
    assertEquals(ApplyTime.OnReset, choice.applies());
    assertTrue(choice.note().startsWith("the BMC lists no @Redfish.OperationApplyTimeSupport; OnReset is not sent"), choice.note());
    assertNull(ApplyTimeChoice.of(ApplyTime.Immediate, Set.of()).note());
    ApplyTimeChoice neither = ApplyTimeChoice.of(ApplyTime.OnReset, Set.of("AtMaintenanceWindowStart"));
    assertNull(neither.sent());
    assertTrue(neither.note().contains("lists neither Immediate nor OnReset"), neither.note());
  }

  @Test
  void aStepNeedsTheHostRestartedForAHostRebootOrAnOnResetApplyTime() {
    assertTrue(new Step("fw/rom.flash", "2.20", List.of(), ApplyTime.Immediate, Reboot.HOST).needsHostReboot());
    assertTrue(new Step("fw/nic.bin", "1.1", List.of(), ApplyTime.OnReset, Reboot.NONE).needsHostReboot());
    assertTrue(!new Step("fw/bmc.bin", "2.50", List.of(), ApplyTime.Immediate, Reboot.BMC).needsHostReboot());
  }
}
