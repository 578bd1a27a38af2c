package io.smartupdate.redfish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starting an update on one BMC: SimpleUpdate with the Targets retry, and the optional event subscription. */
final class UpdateStart {
  private final RedfishClient client;
  private final ServerApi server;
  private final Emitter emit;
  private final Bmc bmc;

  UpdateStart(RedfishClient client, ServerApi server, Emitter emit) {
    this.client = client;
    this.server = server;
    this.emit = emit;
    this.bmc = client.bmc();
  }

  /** SimpleUpdate; a 400 that names Targets is retried once with the targets found in the inventory, Managers or Systems. */
  RedfishClient.Response simpleUpdate(Discovery discovery, Inventory inventory, String protocol, String imageUri, ServerApi.Image image,
      List<String> targets) {
    RedfishClient.Response response = client.post(discovery.simpleUpdate(), body(imageUri, protocol, targets));
    if (response.status() == 400 && response.raw() != null && response.raw().contains("Targets")) {
      List<String> found = targets.isEmpty() ? findTargets(discovery, inventory, image) : List.of();
      if (found.isEmpty()) {
        throw new DeployFailure("BMC " + bmc.address() + " requires Targets for SimpleUpdate (" + response.message() + ") and none fits "
            + image.path() + ": pass --targets URI (its FirmwareInventory lists " + inventory.items().stream().map(Inventory.Item::uri).toList() + ")");
      }
      emit.event("info", null, "BMC asks for Targets; retrying with " + found);
      response = client.post(discovery.simpleUpdate(), body(imageUri, protocol, found));
      if (response.status() == 400 && response.raw() != null && response.raw().contains("Targets")) {
        throw new DeployFailure("BMC " + bmc.address() + " refused Targets " + found + " for SimpleUpdate (" + response.message() + "): pass the right one with --targets URI");
      }
    }
    if (!response.ok()) {
      throw new DeployFailure("BMC " + bmc.address() + " refused SimpleUpdate (" + response.status() + "): " + response.message());
    }
    return response;
  }

  private static Map<String, Object> body(String imageUri, String protocol, List<String> targets) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ImageURI", imageUri);
    body.put("TransferProtocol", protocol);
    if (!targets.isEmpty()) body.put("Targets", targets);
    return body;
  }

  private List<String> findTargets(Discovery discovery, Inventory inventory, ServerApi.Image image) {
    Inventory.Item match = inventory.matching(image.path());
    if (match != null) return List.of(match.uri());
    // A BMC image goes to the BMC itself, a BIOS to the system: the only Manager, else the only System.
    String file = image.path().toLowerCase(java.util.Locale.ROOT);
    for (String collection : file.matches(".*(bios|system|rom).*") ? new String[] {discovery.systems(), discovery.managers()}
        : new String[] {discovery.managers(), discovery.systems()}) {
      if (collection == null) continue;
      List<String> members = new ArrayList<>();
      client.get(collection).body().path("Members").forEach(m -> members.add(m.path("@odata.id").asText()));
      if (members.size() == 1) return members;
    }
    return List.of();
  }

  /** --subscribe: an EventService subscription to this server's /redfish/events; its URI (to delete at the end), or null. */
  String subscribe(Discovery discovery) {
    if (discovery.subscriptions() == null) {
      emit.event("info", null, "BMC has no EventService subscriptions; --subscribe skipped");
      return null;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Destination", server.eventsDestination(bmc));
    body.put("Context", bmc.node());
    body.put("Protocol", "Redfish");
    if (server.token() != null) body.put("HttpHeaders", List.of(Map.of("Authorization", "Bearer " + server.token())));
    RedfishClient.Response created = client.post(discovery.subscriptions(), body);
    if (created.status() == 400 && body.containsKey("HttpHeaders")) {
      body.remove("HttpHeaders"); // not every BMC takes HttpHeaders; the events then need --insecure-writes to be stored
      created = client.post(discovery.subscriptions(), body);
    }
    if (!created.ok()) {
      emit.event("info", null, "BMC refused the event subscription (" + created.status() + "): " + created.message());
      return null;
    }
    emit.event("info", null, "subscribed " + server.eventsDestination(bmc) + " to the BMC's events");
    return created.location() != null ? RedfishClient.path(created.location()) : created.body().path("@odata.id").asText(null);
  }
}
