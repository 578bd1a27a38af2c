package io.smartupdate.baseline;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.component;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static io.smartupdate.baseline.Fleet.withRules;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalyzerTest {
  private static final NodeInventory NODE = node("ilo5-10.0.0.5", "ProLiant DL380 Gen10",
      member("1", "iLO 5", "3.00"), member("2", "NIC A", "2.0"), member("3", "NIC B", "2.0"), member("4", "PSU", "1.5"));

  private static Finding only(Component component, Analyzer.Options options, Component... others) {
    List<Component> all = new ArrayList<>(List.of(component));
    all.addAll(List.of(others));
    return Analyzer.analyze(new Baseline("default", all), NODE, options).get(0);
  }

  @Test
  void olderInstalledIsAnUpdate() {
    Finding f = only(component("ilo", "3.10", byName("^iLO")), Analyzer.Options.NONE);
    assertEquals(new Finding("ilo5-10.0.0.5", "ilo", "ilo firmware", "3.00", "3.10", Action.UPDATE, "installed 3.00 is older than 3.10"), f);
  }

  @Test
  void equalIsUpToDateAndRewriteOnlyWithTheOption() {
    Component ilo = component("ilo", "3.00", byName("^iLO"));
    assertEquals(Action.UP_TO_DATE, only(ilo, Analyzer.Options.NONE).action());
    Finding rewrite = only(ilo, new Analyzer.Options(false, true));
    assertEquals(Action.REWRITE, rewrite.action());
    assertEquals("installed 3.00 is the baseline's version; --rewrite flashes it again", rewrite.reason());
  }

  @Test
  void newerIsADowngradeSkippedUnlessAsked() {
    Component ilo = component("ilo", "2.90", byName("^iLO"));
    Finding skipped = only(ilo, Analyzer.Options.NONE);
    assertEquals(Action.DOWNGRADE, skipped.action());
    assertEquals("installed 3.00 is newer than 2.90; skipped (pass --downgrade to apply 2.90)", skipped.reason());
    assertEquals("installed 3.00 is newer than 2.90; --downgrade applies 2.90", only(ilo, new Analyzer.Options(true, false)).reason());
  }

  @Test
  void belowTheMinimumActiveVersionIsBlockedNamingIt() {
    Finding f = only(withRules(component("ilo", "3.10", byName("^iLO")), "3.05", List.of()), Analyzer.Options.NONE);
    assertEquals(Action.BLOCKED, f.action());
    assertEquals("installed 3.00 is below the minimum active version 3.05: update to 3.05 first", f.reason());
  }

  @Test
  void aPrerequisiteMissingFromTheBaselineBlocks() {
    Finding f = only(withRules(component("ilo", "3.10", byName("^iLO")), null, List.of("rom-2.90")), Analyzer.Options.NONE);
    assertEquals(Action.BLOCKED, f.action());
    assertEquals("requires rom-2.90, which baseline default does not have", f.reason());
  }

  @Test
  void aPrerequisiteThatCannotBeAppliedHereBlocks() {
    Component cpld = component("cpld", "1.0", byName("^CPLD"));
    Finding f = only(withRules(component("ilo", "3.10", byName("^iLO")), null, List.of("cpld")), Analyzer.Options.NONE, cpld);
    assertEquals(Action.BLOCKED, f.action());
    assertEquals("requires cpld (cpld firmware), which is not-applicable here: no inventory member matches name ~ /^CPLD/", f.reason());
  }

  @Test
  void aPrerequisiteToBeUpdatedFirstDoesNotBlock() {
    Component psu = component("psu", "1.6", byName("^PSU"));
    assertEquals(Action.UPDATE, only(withRules(component("ilo", "3.10", byName("^iLO")), null, List.of("psu")), Analyzer.Options.NONE, psu).action());
  }

  @Test
  void aCycleInRequiresBlocksInsteadOfLooping() {
    Component a = withRules(component("a", "3.10", byName("^iLO")), null, List.of("b"));
    Component b = withRules(component("b", "1.6", byName("^PSU")), null, List.of("a"));
    List<Finding> findings = Analyzer.analyze(new Baseline("default", List.of(a, b)), NODE, Analyzer.Options.NONE);
    assertEquals(Action.BLOCKED, findings.get(0).action());
  }

  @Test
  void incomparableVersionsAreUnknownNamingBothNeverADowngrade() {
    Finding f = only(component("ilo", "3.10b", byName("^iLO")), Analyzer.Options.NONE);
    assertEquals(Action.UNKNOWN, f.action());
    assertEquals("cannot compare installed \"3.00\" with \"3.10b\" (dotted versions)", f.reason());
  }

  @Test
  void aMemberWithoutVersionIsUnknown() {
    NodeInventory odd = node("n", null, member("9", "Odd", null));
    Finding f = Analyzer.analyze(new Baseline("default", List.of(component("odd", "1.0", byName("Odd")))), odd, Analyzer.Options.NONE).get(0);
    assertEquals(Action.UNKNOWN, f.action());
    assertEquals("member 9 \"Odd\" reports no Version string", f.reason());
  }

  @Test
  void noMatchingMemberIsNotApplicable() {
    Finding f = only(component("bios", "2.90", byName("^System ROM")), Analyzer.Options.NONE);
    assertEquals(Action.NOT_APPLICABLE, f.action());
    assertEquals(null, f.installed());
  }

  @Test
  void severalMembersAreDecidedByTheOneThatNeedsWork() {
    NodeInventory twoNics = node("n", null, member("2", "NIC A", "2.1"), member("3", "NIC B", "2.0"));
    Finding f = Analyzer.analyze(new Baseline("default", List.of(component("nic", "2.1", byName("^NIC")))), twoNics, Analyzer.Options.NONE).get(0);
    assertEquals(Action.UPDATE, f.action());
    assertEquals("2.0", f.installed());
    assertEquals("2 members match by name; installed 2.0 is older than 2.1", f.reason());
  }

  @Test
  void findingsFollowTheBaselinesOrder() {
    List<Finding> findings = Analyzer.analyze(new Baseline("default", List.of(component("psu", "1.5", byName("^PSU")),
        component("ilo", "3.10", byName("^iLO")))), NODE, Analyzer.Options.NONE);
    assertEquals(List.of("psu", "ilo"), findings.stream().map(Finding::componentId).toList());
  }
}
