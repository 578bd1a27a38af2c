package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.core.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Starting an update on one BMC: SimpleUpdate with the Targets retry, and the optional event subscription. */
final class UpdateStart {
  /** Candidates taken from each of Managers and Systems: a blade chassis lists many, and each try is a request. */
  private static final int MEMBERS_TRIED = 4;
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

  /**
   * SimpleUpdate. A 400 that names a Target is retried with each candidate in turn (the inventory
   * member the image is for, then the Managers, then the Systems) until one is taken; the failure
   * names every candidate tried. {@code applyTime} (null for none) is sent as {@code @Redfish.OperationApplyTime}.
   */
  RedfishClient.Response simpleUpdate(Discovery discovery, Inventory inventory, TransferProtocol protocol, String imageUri, ServerApi.Image image,
      List<String> targets, ApplyTime applyTime) {
    RedfishClient.Response response = client.post(discovery.simpleUpdate(), body(imageUri, protocol, targets, applyTime));
    if (refusesTargets(response) && !targets.isEmpty()) {
      throw new DeployFailure("BMC " + bmc.address() + " refused Targets " + targets + " for SimpleUpdate (" + response.message()
          + "): pass the right one with --targets URI");
    }
    if (refusesTargets(response)) {
      List<String> candidates = candidates(discovery, inventory, image);
      if (candidates.isEmpty()) {
        throw new DeployFailure("BMC " + bmc.address() + " requires Targets for SimpleUpdate (" + response.message() + ") and none fits "
            + image.path() + ": pass --targets URI (its FirmwareInventory lists " + inventory.items().stream().map(Inventory.Item::uri).toList() + ")");
      }
      List<String> tried = new ArrayList<>();
      for (String candidate : candidates) {
        emit.event(Phase.INFO, null, "BMC asks for Targets; trying [" + candidate + "]");
        response = client.post(discovery.simpleUpdate(), body(imageUri, protocol, List.of(candidate), applyTime));
        if (!refusesTargets(response)) break;
        tried.add(candidate + " (" + response.message() + ")");
      }
      if (refusesTargets(response)) {
        throw new DeployFailure("BMC " + bmc.address() + " refused every Targets candidate for SimpleUpdate: " + String.join(", ", tried)
            + ": pass the right one with --targets URI");
      }
    }
    if (!response.ok()) {
      throw new DeployFailure("BMC " + bmc.address() + " refused SimpleUpdate (" + response.status() + "): " + response.message());
    }
    return response;
  }

  /** A 400 whose words are about Targets ("Targets is a required property", "Manager is not currently a supported Target"). */
  private static boolean refusesTargets(RedfishClient.Response response) {
    return response.status() == 400 && response.raw() != null && response.raw().contains("Target");
  }

  private static Map<String, Object> body(String imageUri, TransferProtocol protocol, List<String> targets, ApplyTime applyTime) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ImageURI", imageUri);
    body.put("TransferProtocol", protocol.name());
    if (!targets.isEmpty()) body.put("Targets", targets);
    if (applyTime != null) body.put("@Redfish.OperationApplyTime", applyTime.name());
    return body;
  }

  /** The inventory member the image names, then the Managers, then the Systems (Systems first for a BIOS or system ROM image). */
  private List<String> candidates(Discovery discovery, Inventory inventory, ServerApi.Image image) {
    Set<String> found = new LinkedHashSet<>();
    Inventory.Item match = inventory.matching(image.path());
    if (match != null) found.add(match.uri());
    String file = image.path().toLowerCase(Locale.ROOT);
    for (String collection : file.matches(".*(bios|system|rom).*") ? new String[] {discovery.systems(), discovery.managers()}
        : new String[] {discovery.managers(), discovery.systems()}) {
      if (collection == null) continue;
      int taken = 0;
      for (JsonNode member : client.get(collection).body().path("Members")) {
        String uri = member.path("@odata.id").asText(null);
        if (uri != null && taken++ < MEMBERS_TRIED) found.add(client.local(uri));
      }
    }
    return List.copyOf(found);
  }

  /** --subscribe: an EventService subscription to this server's /redfish/events; its URI (to delete at the end), or null. */
  String subscribe(Discovery discovery) {
    if (discovery.subscriptions() == null) {
      emit.event(Phase.INFO, null, "BMC has no EventService subscriptions; --subscribe skipped");
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
      emit.event(Phase.INFO, null, "BMC refused the event subscription (" + created.status() + "): " + created.message());
      return null;
    }
    emit.event(Phase.INFO, null, "subscribed " + server.eventsDestination(bmc) + " to the BMC's events");
    return client.local(created.location() != null ? created.location() : created.body().path("@odata.id").asText(null));
  }
}
