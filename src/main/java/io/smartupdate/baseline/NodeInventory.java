package io.smartupdate.baseline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What a node has installed, read at {@code readAt}: its system's model, SKU and firmware members. */
public record NodeInventory(String node, String model, String sku, String systemId, List<InventoryItem> items, Instant readAt) {
  public NodeInventory {
    Objects.requireNonNull(node, "node == null");
    Objects.requireNonNull(readAt, "readAt == null");
    items = List.copyOf(Objects.requireNonNull(items, "items == null"));
  }
}
