package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.Pci;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryReaderTest {
  private static final String URI = "/redfish/v1/UpdateService/FirmwareInventory/";

  private static InventoryItem read(String id, String json) throws Exception {
    JsonNode body = RedfishClient.JSON.readTree(json);
    return InventoryReader.item(URI + id, body);
  }

  @Test
  void iloMemberCarriesItsDeviceClassAndTargets() throws Exception {
    InventoryItem item = InventoryReader.item(URI + "1", FakeBmc.hpe(FakeBmc.item("1", "iLO 5", "3.00"), "dc-1", "System Board", "t-1", "t-2"));
    assertEquals(new InventoryItem(URI + "1", "1", "iLO 5", "3.00", null, true, List.of(), List.of("t-1", "t-2"), "dc-1", null, null), item);
  }

  @Test
  void idracMemberCarriesComponentIdAndPciIds() throws Exception {
    InventoryItem nic = InventoryReader.item(URI + "n", FakeBmc.dell(FakeBmc.item("Installed-0-22.5__NIC.Slot.1-1", "Broadcom NetXtreme", "22.5"),
        "101447", "FRMW", "14E4:16D7:14e4:0x1402"));
    assertEquals("101447", nic.dellComponentId());
    assertEquals(new Pci("14e4", "16d7", "14e4", "1402"), nic.pci());
  }

  @Test
  void dellComponentIdIsReadFromTheIdWhenTheOemSectionIsMissing() throws Exception {
    assertEquals("25227", read("x", "{\"Id\":\"Installed-25227-7.00.00.00__iDRAC.Embedded.1-1\",\"Version\":\"7.00.00.00\"}").dellComponentId());
  }

  @Test
  void oddShapesBecomeAbsentFieldsNotFailures() throws Exception {
    InventoryItem item = read("odd", "{\"Version\": 2.5, \"Name\": [\"x\"], \"SoftwareId\": {}, \"Updateable\": \"false\","
        + " \"RelatedItem\": \"nope\", \"Oem\": {\"Hpe\": {\"Targets\": [1, \"t\"], \"DeviceClass\": 7}}}");
    assertEquals("odd", item.id());
    assertEquals("odd", item.name());
    assertNull(item.version());
    assertNull(item.softwareId());
    assertFalse(item.updateable());
    assertEquals(List.of(), item.relatedItems());
    assertEquals(List.of("t"), item.hpeTargets());
    assertNull(item.deviceClass());
  }

  @Test
  void relatedItemsAndAMissingUpdateableAreKept() throws Exception {
    InventoryItem item = read("bmc", "{\"Id\":\"bmc\",\"Version\":\"2.14.0\",\"RelatedItem\":[{\"@odata.id\":\"/redfish/v1/Managers/bmc\"}]}");
    assertEquals(List.of("/redfish/v1/Managers/bmc"), item.relatedItems());
    assertTrue(item.updateable());
  }
}
