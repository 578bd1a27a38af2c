package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A host restart through the BMC: {@code ComputerSystem.Reset} on the node's System with a
 * ResetType the BMC allows (from {@code ResetType@Redfish.AllowableValues} or the action's
 * ActionInfo), then a wait, bounded by --timeout, for {@code PowerState} to leave On and come back,
 * and for the inventory to show what the restart was to apply.
 */
final class HostReset {
  /** The restarts deploy sends, best first: a clean shutdown before a forced one. */
  static final List<String> PREFERRED = List.of("GracefulRestart", "ForceRestart", "PowerCycle");

  private final RedfishClient client;
  private final Emitter emit;
  private final Settling settling;
  private final Pacing pacing;
  private final Duration timeout;

  HostReset(RedfishClient client, Emitter emit, Settling settling, Pacing pacing, Duration timeout) {
    this.client = client;
    this.emit = emit;
    this.settling = settling;
    this.pacing = pacing;
    this.timeout = timeout;
  }

  /**
   * The ResetType to send: the first of {@link #PREFERRED} the BMC allows ("On" for a host that is
   * off, when allowed); GracefulRestart when the BMC lists nothing. Null when none fits.
   */
  static String resetType(List<String> allowed, boolean hostOn) {
    if (allowed.isEmpty()) return hostOn ? PREFERRED.get(0) : "On";
    if (!hostOn && allowed.contains("On")) return "On";
    return PREFERRED.stream().filter(allowed::contains).findFirst().orElse(null);
  }

  /**
   * Restarts the host of {@code systems} (its first member), waits for it to come back On, and
   * returns the inventory of {@code collection} once {@code applied} holds or the BMC settled;
   * {@code applied} null: nothing to verify, the host is waited for Off and On again.
   */
  Inventory restart(String systems, String collection, Predicate<Inventory> applied, String why) {
    String address = client.bmc().address();
    String system = system(systems);
    JsonNode body = client.get(system).body();
    JsonNode action = body.path("Actions").path("#ComputerSystem.Reset");
    String target = action.path("target").asText(null);
    if (target == null) {
      throw new DeployFailure("BMC " + address + " offers no ComputerSystem.Reset on " + system + ": restart the host yourself, or deploy with --reboot never");
    }
    List<String> allowed = allowed(action);
    String power = body.path("PowerState").asText("On");
    String type = resetType(allowed, !power.equals("Off"));
    if (type == null) {
      throw new DeployFailure("BMC " + address + " allows ResetType " + allowed + " for ComputerSystem.Reset on " + system + ", none of "
          + String.join(", ", PREFERRED) + ": restart the host yourself, or deploy with --reboot never");
    }
    emit.event(Phase.REBOOTING, null, "host reboot: ComputerSystem.Reset (" + type + ") on " + system + " for " + why);
    RedfishClient.Response reset = client.post(client.local(target), Map.of("ResetType", type));
    if (!reset.ok()) {
      throw new DeployFailure("BMC " + address + " refused ComputerSystem.Reset (" + type + ") on " + system + " (" + reset.status() + "): " + reset.message());
    }
    return await(system, collection, applied);
  }

  /** PowerState leaves On and comes back On (or the inventory already shows the update on an On host), within --timeout. */
  private Inventory await(String system, String collection, Predicate<Inventory> applied) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean left = false;
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        String power = client.get(system).body().path("PowerState").asText("unknown");
        if (!power.equals(last)) {
          emit.event(Phase.REBOOTING, null, "host PowerState " + power);
          last = power;
        }
        if (!power.equals("On")) {
          left = true;
        } else if (left) {
          return applied == null ? Inventory.read(client, collection) : settling.inventory(collection, applied);
        } else if (applied != null) {
          Inventory now = Inventory.read(client, collection);
          if (applied.test(now)) return now; // a restart too quick to be seen Off
        }
      } catch (RedfishClient.Gone | RedfishClient.NoAnswer away) {
        settling.awaitReturn(away.getMessage());
        continue;
      }
      Pause.sleep(pacing.settlePoll());
    }
    throw new DeployFailure("the host of BMC " + client.bmc().address() + " did not come back from its reset within " + timeout.toSeconds()
        + " s (--timeout): PowerState " + last + (left ? "" : ", never seen Off"));
  }

  private String system(String systems) {
    if (systems == null) throw new DeployFailure("BMC " + client.bmc().address() + " lists no Systems: there is no host to restart; deploy with --reboot never");
    for (JsonNode member : client.get(systems).body().path("Members")) {
      String uri = member.path("@odata.id").asText(null);
      if (uri != null) return client.local(uri);
    }
    throw new DeployFailure("BMC " + client.bmc().address() + " lists no member in " + systems + ": there is no host to restart; deploy with --reboot never");
  }

  /** ResetType@Redfish.AllowableValues on the action, else the AllowableValues of ResetType in its ActionInfo; empty when the BMC says neither. */
  private List<String> allowed(JsonNode action) {
    List<String> allowed = new ArrayList<>();
    action.path("ResetType@Redfish.AllowableValues").forEach(v -> allowed.add(v.asText()));
    String info = action.path("@Redfish.ActionInfo").asText(null);
    if (allowed.isEmpty() && info != null) {
      for (JsonNode parameter : client.get(client.local(info)).body().path("Parameters")) {
        if (parameter.path("Name").asText().equals("ResetType")) parameter.path("AllowableValues").forEach(v -> allowed.add(v.asText()));
      }
    }
    return allowed;
  }
}
