package io.smartupdate.baseline;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.component;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static io.smartupdate.baseline.Fleet.withSoftwareId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final InventoryItem ILO = member("1", "iLO 5", "3.00");
  private static final InventoryItem ROM = member("2", "System ROM", "U46 v2.80 (01/10/2026)");

  @Test
  void softwareIdWinsOverAMatchingName() {
    InventoryItem nic = withSoftwareId(member("7", "Ethernet 10Gb", "235.0"), "8086-1572");
    Match match = new Match("8086-1572", null, null, null, null, null, null, "iLO");
    Matcher.Result result = Matcher.match(component("nic", "235.1", match), node("n", null, ILO, nic));
    assertEquals(List.of(nic), result.members());
    assertEquals("softwareId", result.by());
  }

  @Test
  void fallsBackToTheNameWhenNoMemberHasTheSoftwareId() {
    Match match = new Match("missing", null, null, null, null, null, null, "^iLO");
    Matcher.Result result = Matcher.match(component("ilo", "3.10", match), node("n", null, ILO, ROM));
    assertEquals(List.of(ILO), result.members());
    assertEquals("name", result.by());
  }

  @Test
  void hpeTargetMatchesCaseAndBracesAsideAndHonoursTheDeviceClass() {
    InventoryItem nic = new InventoryItem("/x/3", "3", "HPE Eth 10/25Gb", "20.12", null, true, null,
        List.of("{A1B2C3D4-0000-1111-2222-333344445555}"), "fb686f9e-4b2a-4bba-b4a0-4c1d3e6f7a8b", null, null);
    Match right = new Match(null, List.of("a1b2c3d4-0000-1111-2222-333344445555"), "FB686F9E-4B2A-4BBA-B4A0-4C1D3E6F7A8B", null, null, null, null, null);
    Match wrongClass = new Match(null, List.of("a1b2c3d4-0000-1111-2222-333344445555"), "00000000-0000-0000-0000-000000000000", null, null, null, null, null);
    assertEquals(List.of(nic), Matcher.match(component("nic", "20.14", right), node("n", null, ILO, nic)).members());
    Matcher.Result none = Matcher.match(component("nic", "20.14", wrongClass), node("n", null, ILO, nic));
    assertEquals(Action.NOT_APPLICABLE, none.verdict());
  }

  @Test
  void dellComponentIdAndPciIdsMatchInTheirTurn() {
    InventoryItem idrac = new InventoryItem("/x/i", "Installed-25227-7.00.00.00__iDRAC.Embedded.1-1", "Integrated Dell Remote Access Controller",
        "7.00.00.00", null, true, null, null, null, "25227", null);
    InventoryItem nic = new InventoryItem("/x/n", "Installed-0-22.5__NIC.Slot.1-1", "Broadcom NetXtreme", "22.5", null, true, null, null, null,
        null, new Pci("14e4", "16d7", "14e4", "1402"));
    NodeInventory node = node("n", "PowerEdge R750", idrac, nic);
    assertEquals(List.of(idrac), Matcher.match(component("idrac", "7.10.30.00", new Match(null, null, null, "25227", null, null, null, null)), node).members());
    Match pci = new Match(null, null, null, null, new Pci("0x14E4", "16d7", null, null), null, null, null);
    Matcher.Result byPci = Matcher.match(component("nic", "22.6", pci), node);
    assertEquals(List.of(nic), byPci.members());
    assertEquals("PCI ids", byPci.by());
  }

  @Test
  void aComponentForAnotherModelIsNotApplicableAndSaysWhichModels() {
    Match match = new Match(null, null, null, null, null, List.of("ProLiant DL380 Gen11"), null, "^iLO");
    Matcher.Result result = Matcher.match(component("ilo6", "1.60", match), node("n", "ProLiant DL380 Gen10", ILO));
    assertEquals(Action.NOT_APPLICABLE, result.verdict());
    assertEquals("the component is for models [ProLiant DL380 Gen11], not ProLiant DL380 Gen10", result.reason());
  }

  @Test
  void aModelConstraintOnANodeWithoutModelIsUnknownOnlyWhenAMemberMatches() {
    Match match = new Match(null, null, null, null, null, List.of("DL380 Gen10"), null, "^iLO");
    assertEquals(Action.UNKNOWN, Matcher.match(component("ilo", "3.10", match), node("n", null, ILO)).verdict());
    Match other = new Match(null, null, null, null, null, List.of("DL380 Gen10"), null, "^PSU");
    assertEquals(Action.NOT_APPLICABLE, Matcher.match(component("psu", "1.0", other), node("n", null, ILO)).verdict());
  }

  @Test
  void systemIdsCompareAsHex() {
    Match match = new Match(null, null, null, "25227", null, null, List.of("0x0A6B"), null);
    InventoryItem idrac = new InventoryItem("/x/i", "i", "iDRAC", "7.00", null, true, null, null, null, "25227", null);
    NodeInventory r750 = new NodeInventory("n", "PowerEdge R750", "ABC1234", "0a6b", List.of(idrac), Instant.EPOCH);
    NodeInventory r650 = new NodeInventory("n", "PowerEdge R650", "ABC1235", "0A6C", List.of(idrac), Instant.EPOCH);
    assertEquals(List.of(idrac), Matcher.match(component("idrac", "7.10", match), r750).members());
    assertEquals(Action.NOT_APPLICABLE, Matcher.match(component("idrac", "7.10", match), r650).verdict());
  }

  @Test
  void aMemberThatCannotBeUpdatedIsNotApplicable() {
    InventoryItem locked = new InventoryItem("/x/c", "cpld", "System Programmable Logic Device", "0x31", null, false, null, null, null, null, null);
    Matcher.Result result = Matcher.match(component("cpld", "0x32", byName("Programmable Logic")), node("n", null, locked));
    assertEquals(Action.NOT_APPLICABLE, result.verdict());
    assertEquals("member cpld \"System Programmable Logic Device\" matches by name but is not updateable (Updateable: false)", result.reason());
  }

  @Test
  void noMatchNamesEveryCriterionTried() {
    Match match = new Match("sw-1", null, null, null, null, null, null, "^PSU");
    Matcher.Result result = Matcher.match(component("psu", "1.0", match), node("n", null, ILO, ROM));
    assertFalse(result.matched());
    assertEquals("no inventory member matches softwareId sw-1, or name ~ /^PSU/", result.reason());
  }

  @Test
  void anInvalidNameRegexIsUnknownNotACrash() {
    Matcher.Result result = Matcher.match(component("x", "1.0", byName("(unclosed")), node("n", null, ILO));
    assertEquals(Action.UNKNOWN, result.verdict());
  }

  @Test
  void aComponentWithoutCriteriaMatchesNothingAndTheNameRegexIgnoresCase() {
    assertEquals(Action.NOT_APPLICABLE, Matcher.match(component("x", "1.0", Match.NONE), node("n", null, ILO)).verdict());
    assertEquals(List.of(ILO), Matcher.match(component("ilo", "3.10", byName("ilo 5")), node("n", null, ILO)).members());
  }
}
