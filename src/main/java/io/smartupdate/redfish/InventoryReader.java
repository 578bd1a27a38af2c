package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.baseline.Pci;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a BMC has installed as the baseline model sees it: every {@code FirmwareInventory}
 * member with its HPE ({@code Oem.Hpe}: Targets, DeviceClass) and Dell ({@code Oem.Dell.DellSoftwareInventory}:
 * ComponentID, PCI ids) identifiers, and the first ComputerSystem's Model, SKU and Dell SystemID.
 * A member of odd shape is kept with what could be read (no Version: analysed as unknown), never a failure.
 */
final class InventoryReader {
  /** Dell names installed members {@code Installed-<componentId>-<version>__<FQDD>}. */
  private static final Pattern DELL_ID = Pattern.compile("^(?:Installed|Previous|Current)-(\\d+)-");

  private InventoryReader() {}

  static NodeInventory read(RedfishClient client, String node, Instant now) {
    JsonNode root = client.get(RedfishClient.ROOT).body();
    String updatePath = root.path("UpdateService").path("@odata.id").asText(null);
    if (updatePath == null) {
      throw new DeployFailure("BMC " + client.bmc().address() + " has no UpdateService in its Redfish service root: no firmware inventory to read");
    }
    RedfishClient.Response update = client.get(updatePath);
    if (!update.ok()) throw new DeployFailure("BMC " + client.bmc().address() + " answered " + update.status() + " for " + updatePath + ": " + update.message());
    String collection = update.body().path("FirmwareInventory").path("@odata.id").asText(null);
    if (collection == null) throw new DeployFailure("BMC " + client.bmc().address() + " has no FirmwareInventory under " + updatePath);
    RedfishClient.Response list = client.get(collection);
    if (!list.ok()) throw new DeployFailure("BMC " + client.bmc().address() + " answered " + list.status() + " for " + collection + ": " + list.message());
    List<InventoryItem> items = new ArrayList<>();
    for (JsonNode member : list.body().path("Members")) {
      String uri = text(member.path("@odata.id"));
      if (uri == null) continue;
      // Expanded collections carry the members whole; otherwise read each one.
      JsonNode body = member.has("Id") || member.has("Version") ? member : client.get(uri).body();
      items.add(item(uri, body));
    }
    JsonNode system = system(client, text(root.path("Systems").path("@odata.id")));
    return new NodeInventory(node, text(system.path("Model")), text(system.path("SKU")), systemId(system), items, now);
  }

  /** One member as read; any field of the wrong type counts as absent. */
  static InventoryItem item(String uri, JsonNode body) {
    String id = text(body.path("Id"));
    if (id == null) id = uri.substring(uri.lastIndexOf('/') + 1);
    List<String> related = new ArrayList<>();
    for (JsonNode link : body.path("RelatedItem")) {
      String target = text(link.path("@odata.id"));
      if (target != null) related.add(target);
    }
    JsonNode hpe = body.path("Oem").path("Hpe");
    List<String> targets = new ArrayList<>();
    for (JsonNode target : hpe.path("Targets")) {
      if (target.isTextual()) targets.add(target.asText());
    }
    JsonNode dell = body.path("Oem").path("Dell").path("DellSoftwareInventory");
    String componentId = text(dell.path("ComponentID"));
    if (componentId == null) {
      Matcher fromId = DELL_ID.matcher(id);
      if (fromId.find()) componentId = fromId.group(1);
    }
    Pci pci = null;
    String vendor = hex(dell.path("VendorID"));
    String device = hex(dell.path("DeviceID"));
    if (vendor != null || device != null) pci = new Pci(vendor, device, hex(dell.path("SubVendorID")), hex(dell.path("SubDeviceID")));
    return new InventoryItem(uri, id, text(body.path("Name")), text(body.path("Version")), text(body.path("SoftwareId")),
        updateable(body.path("Updateable")), related, targets, text(hpe.path("DeviceClass")), componentId, pci);
  }

  /** The first ComputerSystem, or a missing node when the BMC lists none or will not say. */
  private static JsonNode system(RedfishClient client, String systems) {
    if (systems == null) return MissingNode.getInstance();
    RedfishClient.Response list = client.get(systems);
    String first = list.ok() ? text(list.body().path("Members").path(0).path("@odata.id")) : null;
    if (first == null) return MissingNode.getInstance();
    RedfishClient.Response system = client.get(first);
    return system.ok() ? system.body() : MissingNode.getInstance();
  }

  /** Dell's {@code Oem.Dell.DellSystem.SystemID} is a number; catalogs write it as four hex digits (2667 is 0A6B). */
  private static String systemId(JsonNode system) {
    JsonNode id = system.path("Oem").path("Dell").path("DellSystem").path("SystemID");
    if (id.isIntegralNumber()) return String.format(Locale.ROOT, "%04X", id.asLong());
    return text(id);
  }

  /** Updateable: false only when the member says so; a missing or odd value is left to the version check. */
  private static boolean updateable(JsonNode value) {
    if (value.isBoolean()) return value.asBoolean();
    return !(value.isTextual() && value.asText().equalsIgnoreCase("false"));
  }

  private static String hex(JsonNode value) {
    String text = text(value);
    return text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
  }

  /** A string field, or null when it is absent, null, or not a string (a number where a Version belongs). */
  private static String text(JsonNode value) {
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
