package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.tls.HeldCertificate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class InventoryScanIT {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static HeldCertificate ca;
  private static HeldCertificate leaf;
  private static final List<RedfishStub> stubs = new CopyOnWriteArrayList<>();
  @TempDir static Path dir;

  @BeforeAll
  static void certificates() {
    ca = HeldCertificate.builder().commonName("Stub BMC CA").certificateAuthority(0).build();
    leaf = HeldCertificate.builder().commonName("bmc").addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
  }

  @AfterAll
  static void stop() {
    stubs.forEach(RedfishStub::close);
  }

  private static RedfishStub stub(FakeBmc.Dialect dialect) throws Exception {
    RedfishStub stub = RedfishStub.start(new FakeBmc(dialect), leaf, ca, dir);
    stubs.add(stub);
    return stub;
  }

  private static InventoryScan scan() throws Exception {
    return new InventoryScan(BmcTls.trusting(RedfishStub.pem(dir.resolve("ca.pem"), ca)), Duration.ofSeconds(10), 4, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Bmc bmc(RedfishStub stub) {
    return DeployFixture.bmc(stub);
  }

  @Test
  void iloInventoryHasTheHpeIdentifiersAndTheSystemModel() throws Exception {
    RedfishStub ilo = stub(FakeBmc.Dialect.ILO5);
    ilo.bmc.installed("3.00");
    NodeInventory inventory = scan().read(bmc(ilo)).inventory();
    assertEquals("ProLiant DL380 Gen10", inventory.model());
    assertEquals("868703-B21", inventory.sku());
    assertEquals(NOW, inventory.readAt());
    InventoryItem first = inventory.items().get(0);
    assertEquals(new InventoryItem("/redfish/v1/UpdateService/FirmwareInventory/1", "1", "iLO 5", "3.00", null, true, List.of(),
        List.of(FakeBmc.ILO_TARGET), FakeBmc.ILO_DEVICE_CLASS, null, null), first);
    assertEquals("System ROM", inventory.items().get(1).name());
    assertEquals(0, ilo.bmc.sessionsOpened.get() - ilo.bmc.sessionsDeleted.get(), "the session is closed after reading");
  }

  @Test
  void idracInventoryHasComponentIdsPciIdsAndTheSystemIdInHex() throws Exception {
    RedfishStub idrac = stub(FakeBmc.Dialect.IDRAC9);
    idrac.bmc.extraMembers.add(FakeBmc.dell(FakeBmc.item("Installed-101447-22.5__NIC.Slot.1-1", "Broadcom NetXtreme", "22.5"),
        "101447", "FRMW", "14e4:16d7:14e4:1402"));
    NodeInventory inventory = scan().read(bmc(idrac)).inventory();
    assertEquals("PowerEdge R750", inventory.model());
    assertEquals("0A6B", inventory.systemId());
    assertEquals("25227", inventory.items().get(0).dellComponentId());
    assertEquals("25227", inventory.items().get(0).softwareId());
    assertEquals("16d7", inventory.items().get(2).pci().device());
  }

  @Test
  void openBmcWithOddMembersIsReadNotRefused() throws Exception {
    RedfishStub openbmc = stub(FakeBmc.Dialect.OPENBMC);
    openbmc.bmc.extraMembers.add((ObjectNode) RedfishClient.JSON.readTree(
        "{\"@odata.id\":\"/redfish/v1/UpdateService/FirmwareInventory/psu0\",\"Id\":\"psu0\",\"Version\":12}"));
    NodeInventory inventory = scan().read(bmc(openbmc)).inventory();
    assertEquals("Romulus", inventory.model());
    assertEquals(3, inventory.items().size());
    assertEquals(null, inventory.items().get(2).version());
  }

  @Test
  void aRefusedLoginIsThatBmcsFailureAlone() throws Exception {
    RedfishStub good = stub(FakeBmc.Dialect.ILO6);
    RedfishStub refusing = stub(FakeBmc.Dialect.ILO6);
    refusing.bmc.refuseLogin = true;
    List<InventoryScan.Outcome> outcomes = scan().run(List.of(bmc(refusing), bmc(good)), o -> {});
    assertFalse(outcomes.get(0).ok());
    assertTrue(outcomes.get(0).failure().contains("refused the login of user 'admin'"), outcomes.get(0).failure());
    assertEquals("ProLiant DL380 Gen11", outcomes.get(1).inventory().model());
  }
}
