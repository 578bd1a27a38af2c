package io.smartupdate.baseline;

import java.time.Instant;
import java.util.List;

/** Small builders for components, members and nodes, so a test reads as the case it checks. */
public final class Fleet {
  private Fleet() {}

  public static Component component(String id, String version, Match match) {
    return new Component(id, id + " firmware", "Contoso", ComponentClass.OTHER, id + ".bin", "0".repeat(64), 1, version, "dotted",
        match, null, List.of(), 0, null, null, null, null);
  }

  public static Component withRules(Component c, String minimumActiveVersion, List<String> requires) {
    return new Component(c.id(), c.name(), c.vendor(), c.componentClass(), c.file(), c.sha256(), c.size(), c.version(), c.versionScheme(),
        c.match(), minimumActiveVersion, requires, c.order(), c.applyTime(), c.reboot(), c.criticality(), c.releaseDate());
  }

  public static Match bySoftwareId(String softwareId) {
    return new Match(softwareId, null, null, null, null, null, null, null);
  }

  public static Match byName(String regex) {
    return new Match(null, null, null, null, null, null, null, regex);
  }

  public static InventoryItem member(String id, String name, String version) {
    return new InventoryItem("/redfish/v1/UpdateService/FirmwareInventory/" + id, id, name, version, null, true, null, null, null, null, null);
  }

  public static InventoryItem withSoftwareId(InventoryItem i, String softwareId) {
    return new InventoryItem(i.uri(), i.id(), i.name(), i.version(), softwareId, i.updateable(), i.relatedItems(), i.hpeTargets(),
        i.deviceClass(), i.dellComponentId(), i.pci());
  }

  public static NodeInventory node(String name, String model, InventoryItem... items) {
    return new NodeInventory(name, model, null, null, List.of(items), Instant.parse("2026-12-01T00:00:00Z"));
  }
}
