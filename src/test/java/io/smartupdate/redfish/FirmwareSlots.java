package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A stub BMC's several firmware components and its host's power, for baseline plans: each image the
 * BMC knows installs one inventory member at a version, applied at the task's end (Immediate), at
 * the host's next restart (OnReset, or a component that needs one: staged until
 * {@code ComputerSystem.Reset}), or with a reset of the BMC itself (its own firmware). The host's
 * {@code PowerState} goes Off, then PoweringOn, then On after a reset, and only then do staged
 * images show in the inventory. Shapes follow DMTF ComputerSystem v1.x (Reset action, ResetType,
 * ActionInfo) and Settings (OperationApplyTimeSupport); written here, nothing copied.
 */
public final class FirmwareSlots {
  /** When an image takes effect. */
  public enum Applies { IMMEDIATE, HOST_RESET, BMC_RESET }

  /** What one image installs: the inventory member (by Name), its version, when, and the image's sha-256 for a push. */
  public record Image(String file, String member, String version, Applies applies, String sha256) {}

  final Map<String, Image> images = new ConcurrentHashMap<>();
  /** SupportedValues of @Redfish.OperationApplyTimeSupport; empty: the BMC lists none. */
  public volatile List<String> applyTimes = List.of("Immediate", "OnReset");
  /** ResetType values the System's Reset action allows. */
  public volatile List<String> resetTypes = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "PushPowerButton");
  /** How long the host stays Off after a reset (then PoweringOn as long again). */
  public volatile Duration hostDown = Duration.ofMillis(400);
  /** How long the BMC is away when its own firmware resets it. */
  public volatile Duration bmcDown = Duration.ofMillis(600);

  /** What happened, in order: "flash FILE TIME", "staged FILE", "host reset TYPE", "host On", "bmc reset". */
  public final List<String> journal = new CopyOnWriteArrayList<>();
  /** Every PowerState served, in order. */
  public final List<String> powerServed = new CopyOnWriteArrayList<>();
  /** Every @Redfish.OperationApplyTime received (null when the request had none). */
  public final List<String> applyTimesReceived = new CopyOnWriteArrayList<>();

  private final BiConsumer<String, String> install;
  private final Map<String, String> staged = new ConcurrentHashMap<>();
  private volatile long resetAt = -1;

  FirmwareSlots(BiConsumer<String, String> install) {
    this.install = install;
  }

  /** The image a URI or file name names, or null when the BMC has no slot for it (the single-image tests). */
  Image image(String uriOrFile) {
    if (uriOrFile == null) return null;
    String file = uriOrFile.replaceAll("\\?.*", "");
    return images.get(file.substring(file.lastIndexOf('/') + 1));
  }

  /** Whether {@code applyTime} (null: none sent) is one this BMC takes. */
  boolean takes(String applyTime) {
    return applyTime == null || applyTimes.contains(applyTime);
  }

  /** The flash of {@code image} ended: installs it now, or stages it for the host's restart. True when it resets the BMC. */
  synchronized boolean flashed(Image image, String applyTime) {
    journal.add("flash " + image.file() + " " + applyTime);
    if (image.applies() == Applies.HOST_RESET || "OnReset".equals(applyTime)) {
      staged.put(image.member(), image.version());
      journal.add("staged " + image.file());
      return false;
    }
    install.accept(image.member(), image.version());
    if (image.applies() == Applies.BMC_RESET) journal.add("bmc reset");
    return image.applies() == Applies.BMC_RESET;
  }

  /** ComputerSystem.Reset: null when taken, else why not. */
  synchronized String reset(String type) {
    if (type == null || !resetTypes.contains(type)) return "The value '" + type + "' for ResetType is not in the list of acceptable values " + resetTypes;
    journal.add("host reset " + type);
    resetAt = System.nanoTime();
    return null;
  }

  /** The host's power now; the first On after a reset installs what was staged. */
  synchronized String power() {
    String state = "On";
    if (resetAt >= 0) {
      long since = System.nanoTime() - resetAt;
      if (since < hostDown.toNanos()) {
        state = "Off";
      } else if (since < 2 * hostDown.toNanos()) {
        state = "PoweringOn";
      } else {
        resetAt = -1;
        staged.forEach(install);
        staged.clear();
        journal.add("host On");
      }
    }
    if (powerServed.isEmpty() || !powerServed.get(powerServed.size() - 1).equals(state)) powerServed.add(state);
    return state;
  }

  /** The Reset action on {@code system}: the allowed ResetTypes inline, or (OpenBMC) behind an ActionInfo. */
  void resetAction(ObjectNode system, String systemPath, boolean actionInfo) {
    ObjectNode reset = system.putObject("Actions").putObject("#ComputerSystem.Reset");
    reset.put("target", systemPath + "/Actions/ComputerSystem.Reset");
    if (actionInfo) {
      reset.put("@Redfish.ActionInfo", systemPath + "/ResetActionInfo");
    } else {
      ArrayNode allowed = reset.putArray("ResetType@Redfish.AllowableValues");
      resetTypes.forEach(allowed::add);
    }
  }

  /** The ActionInfo of the Reset action. */
  ObjectNode resetActionInfo(String systemPath) {
    ObjectNode info = FakeBmc.object("#ActionInfo.v1_3_0.ActionInfo", systemPath + "/ResetActionInfo");
    info.put("Id", "ResetActionInfo").put("Name", "Reset Action Info");
    ArrayNode allowed = info.putArray("Parameters").addObject().put("Name", "ResetType").put("Required", true).put("DataType", "String")
        .putArray("AllowableValues");
    resetTypes.forEach(allowed::add);
    return info;
  }

  /** @Redfish.OperationApplyTimeSupport in the Settings shape, on {@code node} (the SimpleUpdate action). */
  void applyTimeSupport(ObjectNode node) {
    if (applyTimes.isEmpty()) return;
    ObjectNode support = node.putObject("@Redfish.OperationApplyTimeSupport");
    support.put("@odata.type", "#Settings.v1_3_5.OperationApplyTimeSupport");
    ArrayNode values = support.putArray("SupportedValues");
    applyTimes.forEach(values::add);
  }

  /** OpenBMC's HttpPushUriOptions: the push's apply time and the values it allows. */
  void pushOptions(ObjectNode service) {
    if (applyTimes.isEmpty()) return;
    ObjectNode applyTime = service.putObject("HttpPushUriOptions").putObject("HttpPushUriApplyTime").put("ApplyTime", "Immediate");
    ArrayNode values = applyTime.putArray("ApplyTime@Redfish.AllowableValues");
    applyTimes.forEach(values::add);
  }

  /** The journal's entries starting with any of {@code prefixes}, in order. */
  public List<String> journal(String... prefixes) {
    List<String> picked = new ArrayList<>();
    for (String entry : journal) for (String p : prefixes) if (entry.startsWith(p)) picked.add(entry);
    return picked;
  }
}
