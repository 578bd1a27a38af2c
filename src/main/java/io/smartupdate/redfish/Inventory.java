package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A BMC's {@code FirmwareInventory}: what is installed, read before and after the update. */
record Inventory(List<Item> items) {
  /** One member: its URI, Id, Name, Version and whether it can be updated. */
  record Item(String uri, String id, String name, String version, boolean updateable) {}

  static Inventory read(RedfishClient client, String collection) {
    List<Item> items = new ArrayList<>();
    if (collection == null) return new Inventory(items);
    RedfishClient.Response list = sessionKept(client, client.get(collection));
    if (!list.ok()) return new Inventory(items);
    for (JsonNode member : list.body().path("Members")) {
      String uri = member.path("@odata.id").asText(null);
      if (uri == null) continue;
      // Expanded collections carry the members whole; otherwise read each one.
      JsonNode item = member.has("Version") ? member : sessionKept(client, client.get(uri)).body();
      items.add(new Item(uri, item.path("Id").asText(""), item.path("Name").asText(""), item.path("Version").asText(""),
          item.path("Updateable").asBoolean(true)));
    }
    return new Inventory(List.copyOf(items));
  }

  /**
   * A 401 means the BMC ended the session: a reset quicker than the polls between them (it was never
   * seen refusing) forgets every session. An empty inventory would be judged "not applied"; a
   * {@link RedfishClient.Gone} makes the caller log in again as after any reset.
   */
  private static RedfishClient.Response sessionKept(RedfishClient client, RedfishClient.Response response) {
    if (response.status() == 401) throw new RedfishClient.Gone("BMC " + client.bmc().address() + " ended the session (401)");
    return response;
  }

  /**
   * The member this image is for: the one whose Id or Name (letters and digits only) appears in the
   * image's file name, e.g. "iLO 5" in ilo5_310.bin. Null when none, or several, match.
   */
  Item matching(String image) {
    String file = squash(image.substring(image.lastIndexOf('/') + 1));
    List<Item> hits = items.stream().filter(Item::updateable)
        .filter(i -> contains(file, squash(i.name())) || contains(file, squash(i.id()))).toList();
    return hits.size() == 1 ? hits.get(0) : null;
  }

  /** The version shown for this image: the matching member's, else the only member's, else all "Name=Version". */
  String version(String image) {
    Item match = matching(image);
    if (match != null) return match.version();
    if (items.size() == 1) return items.get(0).version();
    if (items.isEmpty()) return "-";
    return items.stream().map(i -> i.name() + "=" + i.version()).collect(Collectors.joining(", "));
  }

  /**
   * Versions before and after, for the summary: of the member this image is for when one matches,
   * else of the members whose version changed, else {@link #version}.
   */
  static String[] versions(Inventory before, Inventory after, String image) {
    if (before.matching(image) != null || after.matching(image) != null) return new String[] {before.version(image), after.version(image)};
    List<String> changed = after.items.stream().filter(i -> before.items.stream()
        .noneMatch(b -> b.name().equals(i.name()) && b.version().equals(i.version()))).map(Item::name).toList();
    if (changed.isEmpty()) return new String[] {before.version(image), after.version(image)};
    return new String[] {before.named(changed), after.named(changed)};
  }

  private String named(List<String> names) {
    List<Item> picked = items.stream().filter(i -> names.contains(i.name())).toList();
    if (picked.size() == 1) return picked.get(0).version();
    return picked.stream().map(i -> i.name() + "=" + i.version()).collect(Collectors.joining(", "));
  }

  /**
   * This inventory as it was when {@code version} was recorded for this image (a resume): the
   * member the image is for, or the only member, shows that version again; unchanged when unknown.
   */
  Inventory recalled(String image, String version) {
    if (version == null) return this;
    Item match = matching(image);
    if (match == null && items.size() == 1) match = items.get(0);
    if (match == null) return this;
    Item was = match;
    return new Inventory(items.stream().map(i -> i == was ? new Item(i.uri(), i.id(), i.name(), version, i.updateable()) : i).toList());
  }

  /** Whether anything installed differs from {@code before}. */
  boolean differsFrom(Inventory before) {
    return !items.equals(before.items);
  }

  private static boolean contains(String file, String key) {
    return key.length() >= 3 && file.contains(key);
  }

  private static String squash(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
