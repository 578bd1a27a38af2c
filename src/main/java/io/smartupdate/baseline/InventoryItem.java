package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One Redfish {@code FirmwareInventory} member as read, with the vendor identifiers found in its
 * Oem section. {@code version} is null when the member has none (it is then analysed as unknown).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record InventoryItem(String uri, String id, String name, String version, String softwareId, boolean updateable,
    List<String> relatedItems, List<String> hpeTargets, String deviceClass, String dellComponentId, Pci pci) {
  public InventoryItem {
    Objects.requireNonNull(id, "id == null");
    name = name == null ? id : name;
    relatedItems = relatedItems == null ? List.of() : List.copyOf(relatedItems);
    hpeTargets = hpeTargets == null ? List.of() : List.copyOf(hpeTargets);
  }
}
