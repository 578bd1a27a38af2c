package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a BMC's Redfish service offers for updates, read from the service root down (never
 * hard-coded): the {@code SimpleUpdate} target and its {@code TransferProtocol} values, the push
 * URIs, the inventory, iLO's {@code Oem.Hpe} state, where sessions' peers live, and the apply times
 * ({@code @Redfish.OperationApplyTime}) SimpleUpdate and the push take.
 */
record Discovery(String updateService, String simpleUpdate, Set<String> protocols, String multipartPushUri, String httpPushUri,
    String inventory, boolean hpeState, String subscriptions, String managers, String systems, Set<String> applyTimes, Set<String> pushApplyTimes) {

  static Discovery read(RedfishClient client) {
    JsonNode root = client.get(RedfishClient.ROOT).body();
    String updatePath = root.path("UpdateService").path("@odata.id").asText(null);
    if (updatePath == null) {
      throw new DeployFailure("BMC " + client.bmc().address() + " has no UpdateService in its Redfish service root: it cannot be updated over Redfish");
    }
    updatePath = client.local(updatePath);
    RedfishClient.Response update = client.get(updatePath);
    if (!update.ok()) {
      throw new DeployFailure("BMC " + client.bmc().address() + " answered " + update.status() + " for " + updatePath + ": " + update.message());
    }
    JsonNode service = update.body();
    JsonNode action = service.path("Actions").path("#UpdateService.SimpleUpdate");
    String target = action.path("target").asText(null);
    Set<String> protocols = new LinkedHashSet<>();
    action.path("TransferProtocol@Redfish.AllowableValues").forEach(p -> protocols.add(p.asText().toUpperCase(Locale.ROOT)));
    String actionInfo = action.path("@Redfish.ActionInfo").asText(null);
    if (target != null && protocols.isEmpty() && actionInfo != null) {
      RedfishClient.Response info = client.get(actionInfo);
      for (JsonNode parameter : info.body().path("Parameters")) {
        if (parameter.path("Name").asText().equals("TransferProtocol")) {
          parameter.path("AllowableValues").forEach(p -> protocols.add(p.asText().toUpperCase(Locale.ROOT)));
        }
      }
    }
    // @Redfish.OperationApplyTimeSupport: on the action (iLO 6, iDRAC), else on the service; the push's in HttpPushUriOptions (OpenBMC).
    Set<String> applyTimes = new LinkedHashSet<>();
    JsonNode support = action.has("@Redfish.OperationApplyTimeSupport") ? action : service;
    support.path("@Redfish.OperationApplyTimeSupport").path("SupportedValues").forEach(v -> applyTimes.add(v.asText()));
    Set<String> pushApplyTimes = new LinkedHashSet<>();
    service.path("HttpPushUriOptions").path("HttpPushUriApplyTime").path("ApplyTime@Redfish.AllowableValues").forEach(v -> pushApplyTimes.add(v.asText()));
    if (pushApplyTimes.isEmpty()) pushApplyTimes.addAll(applyTimes);
    String events = root.path("EventService").path("@odata.id").asText(null);
    String subscriptions = events == null ? null : client.get(events).body().path("Subscriptions").path("@odata.id").asText(null);
    // In the BMC's order (Set.copyOf would not keep it): messages list them as the BMC does.
    return new Discovery(updatePath, target, Collections.unmodifiableSet(protocols), service.path("MultipartHttpPushUri").asText(null),
        service.path("HttpPushUri").asText(null), service.path("FirmwareInventory").path("@odata.id").asText(null),
        service.path("Oem").path("Hpe").has("State"), subscriptions, root.path("Managers").path("@odata.id").asText(null),
        root.path("Systems").path("@odata.id").asText(null), Collections.unmodifiableSet(applyTimes), Collections.unmodifiableSet(pushApplyTimes));
  }

  /** True when the image can only be pushed: no SimpleUpdate, but a push URI. */
  boolean pushOnly() {
    return simpleUpdate == null && (multipartPushUri != null || httpPushUri != null);
  }

  /**
   * The protocol to use: https, then http, then ftp when the server has FTP on; {@code requested}
   * (--protocol) narrows it to one. An empty allowable list means the BMC did not say: any.
   */
  TransferProtocol protocol(String address, TransferProtocol requested, boolean ftpOn) {
    if (requested != null) {
      if (requested == TransferProtocol.FTP && !ftpOn) throw new DeployFailure("--protocol ftp needs the server's FTP service: start it with --ftp-port N");
      if (!protocols.isEmpty() && !protocols.contains(requested.name())) {
        throw new DeployFailure("BMC " + address + " does not accept --protocol " + requested.scheme()
            + " for SimpleUpdate; it accepts " + String.join(", ", protocols));
      }
      return requested;
    }
    for (TransferProtocol protocol : TransferProtocol.values()) {
      if (protocol == TransferProtocol.FTP && !ftpOn) continue;
      if (protocols.isEmpty() || protocols.contains(protocol.name())) return protocol;
    }
    throw new DeployFailure("BMC " + address + " accepts SimpleUpdate only over " + String.join(", ", protocols)
        + "; smartupdate serves HTTPS, HTTP" + (ftpOn ? " and FTP" : " (and FTP with --ftp-port)") + ": no protocol in common");
  }
}
