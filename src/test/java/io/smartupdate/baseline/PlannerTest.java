package io.smartupdate.baseline;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final NodeInventory NODE = node("ilo5-10.0.0.5", "ProLiant DL380 Gen10",
      member("1", "iLO 5", "3.00"), member("2", "NIC", "2.0"), member("3", "System ROM", "1.0"), member("4", "PSU", "1.5"));

  private static Component c(String id, ComponentClass cls, String version, String regex, int order, String minimum, List<String> requires) {
    return new Component(id, id + " firmware", "Contoso", cls, id.replaceFirst("-[0-9.]+$", "") + "-" + version + ".bin", "0".repeat(64), 1, version, "dotted",
        byName(regex), minimum, requires, order, cls == ComponentClass.BIOS ? ApplyTime.OnReset : null,
        cls == ComponentClass.BIOS ? Reboot.HOST : cls == ComponentClass.BMC ? Reboot.BMC : null, null, null);
  }

  private static NodePlan plan(Baseline baseline, List<Component> repository, Analyzer.Options options) {
    return Planner.plan(NODE.node(), Analyzer.analyze(baseline, NODE, options), baseline, repository, options);
  }

  private static List<String> files(NodePlan plan) {
    return plan.steps().stream().map(PlannedStep::file).toList();
  }

  @Test
  void bmcFirmwareGoesLastAndRequiresComeFirst() {
    Component bmc = c("ilo", ComponentClass.BMC, "3.10", "^iLO", 0, null, List.of());
    Component nic = c("nic", ComponentClass.NIC, "2.1", "^NIC", 0, null, List.of("rom"));
    Component rom = c("rom", ComponentClass.BIOS, "1.2", "^System ROM", 0, null, List.of());
    NodePlan plan = plan(new Baseline("default", List.of(bmc, nic, rom)), List.of(), Analyzer.Options.NONE);
    assertFalse(plan.isBlocked());
    assertEquals(List.of("rom-1.2.bin", "nic-2.1.bin", "ilo-3.10.bin"), files(plan));
    PlannedStep first = plan.steps().get(0);
    assertEquals("1.0", first.installed());
    assertEquals("1.2", first.expectedVersion());
    assertEquals(ApplyTime.OnReset, first.applyTime());
    assertEquals(Reboot.HOST, first.reboot());
  }

  @Test
  void orderComesBeforeTheBmcRuleAndRequiresBeforeOrder() {
    Component bmc = c("ilo", ComponentClass.BMC, "3.10", "^iLO", 1, null, List.of());
    Component nic = c("nic", ComponentClass.NIC, "2.1", "^NIC", 5, null, List.of());
    Component psu = c("psu", ComponentClass.PSU, "1.6", "^PSU", 9, null, List.of());
    Component rom = c("rom", ComponentClass.BIOS, "1.2", "^System ROM", 2, null, List.of("psu"));
    NodePlan plan = plan(new Baseline("default", List.of(nic, rom, psu, bmc)), List.of(), Analyzer.Options.NONE);
    assertEquals(List.of("ilo-3.10.bin", "nic-2.1.bin", "psu-1.6.bin", "rom-1.2.bin"), files(plan));
  }

  @Test
  void downgradeAndRewriteArePlannedOnlyWithTheirOption() {
    Component nic = c("nic", ComponentClass.NIC, "1.9", "^NIC", 0, null, List.of());
    Component psu = c("psu", ComponentClass.PSU, "1.5", "^PSU", 0, null, List.of());
    Baseline baseline = new Baseline("default", List.of(nic, psu));
    assertEquals(List.of(), files(plan(baseline, List.of(), Analyzer.Options.NONE)));
    assertEquals(List.of("nic-1.9.bin"), files(plan(baseline, List.of(), new Analyzer.Options(true, false))));
    assertEquals(List.of("psu-1.5.bin"), files(plan(baseline, List.of(), new Analyzer.Options(false, true))));
  }

  @Test
  void belowTheMinimumActiveVersionPlansTheLowestSatisfyingHopFirst() {
    Component target = c("ilo", ComponentClass.BMC, "3.40", "^iLO", 0, "3.10", List.of());
    Component tooOld = c("ilo-3.05", ComponentClass.BMC, "3.05", "^iLO", 0, null, List.of());
    Component lowest = c("ilo-3.10", ComponentClass.BMC, "3.10", "^iLO", 0, null, List.of());
    Component higher = c("ilo-3.20", ComponentClass.BMC, "3.20", "^iLO", 0, null, List.of());
    Component otherDevice = c("nic-3.15", ComponentClass.NIC, "3.15", "^NIC", 0, null, List.of());
    NodePlan plan = plan(new Baseline("default", List.of(target)), List.of(higher, tooOld, otherDevice, lowest), Analyzer.Options.NONE);
    assertFalse(plan.isBlocked());
    assertEquals(List.of("ilo-3.10.bin", "ilo-3.40.bin"), files(plan));
    assertTrue(plan.steps().get(0).hop());
    assertEquals("3.10", plan.steps().get(1).installed());
  }

  @Test
  void aHopThatNeedsItsOwnHopIsChained() {
    Component target = c("ilo", ComponentClass.BMC, "3.40", "^iLO", 0, "3.20", List.of());
    Component middle = c("ilo-3.20", ComponentClass.BMC, "3.20", "^iLO", 0, "3.10", List.of());
    Component first = c("ilo-3.10", ComponentClass.BMC, "3.10", "^iLO", 0, null, List.of());
    NodePlan plan = plan(new Baseline("default", List.of(target)), List.of(middle, first), Analyzer.Options.NONE);
    assertEquals(List.of("ilo-3.10.bin", "ilo-3.20.bin", "ilo-3.40.bin"), files(plan));
  }

  @Test
  void noHopInTheRepositoryBlocksTheNodeNamingTheMissingVersion() {
    Component target = c("ilo", ComponentClass.BMC, "3.40", "^iLO", 0, "3.10", List.of());
    Component nic = c("nic", ComponentClass.NIC, "2.1", "^NIC", 0, null, List.of());
    Component belowMinimum = c("ilo-3.05", ComponentClass.BMC, "3.05", "^iLO", 0, null, List.of());
    NodePlan plan = plan(new Baseline("default", List.of(target, nic)), List.of(belowMinimum), Analyzer.Options.NONE);
    assertTrue(plan.isBlocked());
    assertEquals(List.of(), plan.steps());
    assertEquals(List.of("ilo: installed 3.00 is below the minimum active version 3.10 of 3.40, and the repository has no "
        + "ilo firmware at version 3.10 or later below 3.40 to apply first"), plan.blocked());
  }

  @Test
  void aComponentBlockedOnlyByAHoppedPrerequisiteIsPlannedAfterIt() {
    Component bmc = c("ilo", ComponentClass.BMC, "3.40", "^iLO", 0, "3.10", List.of());
    Component hop = c("ilo-3.10", ComponentClass.BMC, "3.10", "^iLO", 0, null, List.of());
    Component nic = c("nic", ComponentClass.NIC, "2.1", "^NIC", 0, null, List.of("ilo"));
    NodePlan plan = plan(new Baseline("default", List.of(nic, bmc)), List.of(hop), Analyzer.Options.NONE);
    assertEquals(List.of("ilo-3.10.bin", "ilo-3.40.bin", "nic-2.1.bin"), files(plan));
  }
}
