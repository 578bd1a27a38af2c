package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.smartupdate.testing.Samples;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stub BMC's Redfish resources and update behaviour, in the shape of a dialect. The shapes follow
 * the DMTF Redfish schemas (ServiceRoot, UpdateService v1.x with SimpleUpdate, @Redfish.ActionInfo,
 * MultipartHttpPushUri, Task v1.x, TaskMonitor, SoftwareInventory, EventDestination) and the vendors'
 * published documents (HPE iLO 5/6 Redfish reference: UpdateService Oem.Hpe.State and
 * FlashProgressPercent; Dell iDRAC 9 Redfish API guide: 202 with Location to a JID_ task; OpenBMC
 * bmcweb: SimpleUpdate over TFTP only, update-multipart push). Written here, nothing copied.
 */
public final class FakeBmc {
  public enum Dialect { ILO5, ILO6, IDRAC9, OPENBMC, DMTF }

  public static final String USER = "admin";
  public static final String PASSWORD = "s3cret-bmc";
  static final ObjectMapper JSON = new ObjectMapper();

  enum Phase { IDLE, FETCHING, FLASHING, TASK_GONE, RESETTING, DONE, FAILED, ENDED }

  // What the test configures.
  final Dialect dialect;
  List<String> protocols;
  public boolean refuseLogin;
  boolean requireTargets;
  boolean acceptNoTargets;
  String failTask;
  public boolean neverFetch;
  boolean cutHalfway;
  boolean rangedFetch;
  boolean noMultipart;
  boolean resetAfterComplete;
  Duration resetFor = Duration.ZERO;
  Duration delay = Duration.ZERO;
  boolean answer204;
  String expectedSha;
  /** At the flash's end the task is deleted (404) and the BMC resets this much later, for {@link #resetFor}. */
  Duration taskGoneThenResetAfter;
  /** A reset closes the listener (connections refused) instead of answering with {@link #downFault}. */
  public boolean refuseConnectionsWhileDown;
  volatile Runnable onDown;
  /** Times the BMC, back from that reset, answers three requests and goes down again. */
  int flapsAfterReset;
  private int flapIn;
  /** Whether the new firmware is active after that reset (false: the flash silently did not take). */
  boolean appliedOnReset = true;
  /** How a resetting BMC treats connections (WireMock faults: resets, empty answers, bytes that are not TLS). */
  Fault downFault = Fault.CONNECTION_RESET_BY_PEER;
  /** A TaskState the task ends in instead of Completed (Suspended, Interrupted, UserIntervention, Cancelled). */
  String taskEnd;
  /** The flash never ends (until set back to false). */
  public volatile boolean stall;
  /** Says it flashes without fetching anything. */
  boolean completeWithoutFetch;
  /** Targets this BMC takes (a part of the URI); others are refused with {@link #targetRefusal}. */
  String acceptTarget = "FirmwareInventory/";
  String targetRefusal = "The property Targets is a required property and must be included in the request.";
  /** Managers and Systems list no members. */
  boolean noCollections;
  /** Retry-After on the task monitor's 202, and when the monitor was read. */
  String monitorRetryAfter;
  final List<Long> monitorReads = new CopyOnWriteArrayList<>();
  /** HTTP-level misbehaviour: busy answers, references elsewhere, redirects, huge bodies. */
  final Misbehaviour misbehave = new Misbehaviour();
  /** Several components, the host's power, apply times: what a baseline plan needs. */
  public final FirmwareSlots slots = new FirmwareSlots(this::install);
  /** Its Redfish resources, in its dialect's shape. */
  final BmcResources resources = new BmcResources(this);

  /** iLO's published GUIDs are not copied here: these are made up, in the same shape. */
  public static final String ILO_DEVICE_CLASS = "2f317b9d-c9e3-4d76-bff6-b9d0d085a952";
  public static final String ILO_TARGET = "4764a662-b342-4fc7-9ce9-258c5d99e815";
  public static final String ROM_DEVICE_CLASS = "aa148d2e-6e09-453e-bc6f-63baa5f5ccc4";
  public static final String ROM_TARGET = "00000000-0000-0000-0000-000000000204";
  /** Members after the BMC's own two: NICs, drives, odd shapes. */
  public final List<ObjectNode> extraMembers = new CopyOnWriteArrayList<>();
  /** The ComputerSystem's Model; null for the dialect's usual one. */
  public volatile String model;
  public volatile String biosVersion = "2.19.1";

  // What the BMC is and did.
  volatile String version = "1.00";
  final Set<String> tokens = ConcurrentHashMap.newKeySet();
  public final AtomicInteger sessionsOpened = new AtomicInteger();
  public final AtomicInteger sessionsDeleted = new AtomicInteger();
  final AtomicInteger subscriptions = new AtomicInteger();
  final AtomicInteger subscriptionsDeleted = new AtomicInteger();
  public volatile ObjectNode lastSimpleUpdate;
  /** SimpleUpdate requests accepted: a resumed run must never send one twice. */
  public final AtomicInteger simpleUpdates = new AtomicInteger();
  volatile ObjectNode lastSubscription;
  volatile Phase phase = Phase.IDLE;
  volatile int percent;
  volatile String message;
  volatile long downUntil;
  volatile long resetAt;
  volatile long fetched = -1;
  volatile String fetchedSha;
  private boolean resetDone;
  /** The image being flashed, when {@link #slots} knows it, and the apply time it was sent with. */
  private volatile FirmwareSlots.Image current;
  private volatile String currentApplyTime;
  /** iDRAC deletes a finished job: its task answers 404 from then on. */
  private volatile boolean taskDeleted;

  FakeBmc(Dialect dialect) {
    this.dialect = dialect;
    this.protocols = switch (dialect) {
      case ILO5, ILO6 -> List.of("HTTP", "HTTPS");
      case IDRAC9 -> List.of("HTTP", "NFS", "CIFS", "TFTP", "HTTPS");
      case OPENBMC -> List.of("TFTP");
      case DMTF -> List.of("HTTP", "HTTPS", "FTP", "SCP");
    };
  }

  /** This BMC installs {@code file} as {@code member} at {@code newVersion}, taking effect as {@code applies}; {@code sha256} checks a push. */
  public FakeBmc firmware(String file, String member, String newVersion, FirmwareSlots.Applies applies, String sha256) {
    slots.images.put(file, new FirmwareSlots.Image(file, member, newVersion, applies, sha256));
    return this;
  }

  /** The version of inventory member {@code name} now ("-" when it has none). */
  public String versionOf(String name) {
    return inventory().stream().filter(i -> i.path("Name").asText().equals(name)).map(i -> i.path("Version").asText()).findFirst().orElse("-");
  }

  /** An image took effect: member {@code name} shows {@code newVersion}. */
  private void install(String name, String newVersion) {
    if (name.equals(bmcName())) {
      version = newVersion;
    } else if (name.equals(biosName())) {
      biosVersion = newVersion;
    } else {
      extraMembers.stream().filter(m -> m.path("Name").asText().equals(name)).forEach(m -> m.put("Version", newVersion));
    }
  }

  /** The Name of the BMC's own firmware in the inventory. */
  public String bmcName() {
    return resources.bmcName();
  }

  /** The Name of the host's BIOS or system ROM in the inventory. */
  public String biosName() {
    return resources.biosName();
  }

  List<ObjectNode> inventory() {
    return resources.inventory();
  }

  String systemPath() {
    return resources.systemPath();
  }

  /** Sets the BMC's own firmware version, as installed before any update. */
  public FakeBmc installed(String bmcVersion) {
    this.version = bmcVersion;
    return this;
  }

  boolean sessions() {
    return dialect != Dialect.DMTF;
  }

  /** A member in SoftwareInventory v1.x shape, for {@link #extraMembers}. */
  public static ObjectNode item(String id, String name, String itemVersion) {
    ObjectNode item = object("#SoftwareInventory.v1_10_0.SoftwareInventory", "/redfish/v1/UpdateService/FirmwareInventory/" + id);
    item.put("Id", id).put("Name", name).put("Version", itemVersion).put("Updateable", true);
    item.putObject("Status").put("State", "Enabled").put("Health", "OK");
    return item;
  }

  /** Adds iLO's {@code Oem.Hpe} section: DeviceClass, DeviceContext, Targets. */
  public static ObjectNode hpe(ObjectNode item, String deviceClass, String context, String... targets) {
    ObjectNode hpe = item.putObject("Oem").putObject("Hpe");
    hpe.put("@odata.type", "#HpeiLOSoftwareInventory.v2_0_0.HpeiLOSoftwareInventory").put("DeviceClass", deviceClass).put("DeviceContext", context);
    ArrayNode list = hpe.putArray("Targets");
    for (String target : targets) list.add(target);
    return item;
  }

  /** Adds iDRAC's {@code Oem.Dell.DellSoftwareInventory}: ComponentID, ComponentType and, for PCI devices, VendorID:DeviceID:SubVendorID:SubDeviceID. */
  public static ObjectNode dell(ObjectNode item, String componentId, String type, String pci) {
    ObjectNode dell = item.putObject("Oem").putObject("Dell").putObject("DellSoftwareInventory");
    dell.put("@odata.type", "#DellSoftwareInventory.v1_1_0.DellSoftwareInventory").put("ComponentID", componentId).put("ComponentType", type);
    String[] ids = pci == null ? new String[] {"", "", "", ""} : pci.split(":");
    dell.put("VendorID", ids[0]).put("DeviceID", ids[1]).put("SubVendorID", ids[2]).put("SubDeviceID", ids[3]);
    return item;
  }

  /** The task, in Task v1.x shape; each read moves a flash along. */
  ObjectNode task(String id) {
    advance();
    ObjectNode task = object("#Task.v1_7_0.Task", "/redfish/v1/TaskService/Tasks/" + id);
    task.put("Id", id).put("Name", "Firmware Update Task");
    String state = switch (phase) {
      case IDLE -> "New";
      case FETCHING, FLASHING, RESETTING, TASK_GONE -> "Running";
      case DONE -> "Completed";
      case FAILED -> "Exception";
      case ENDED -> taskEnd;
    };
    task.put("TaskState", state).put("TaskStatus", phase == Phase.FAILED ? "Critical" : phase == Phase.ENDED ? "Warning" : "OK")
        .put("PercentComplete", percent);
    ArrayNode messages = task.putArray("Messages");
    if (phase == Phase.FAILED) {
      messages.addObject().put("MessageId", "Update.1.0.ApplyFailed").put("Message", message).put("Severity", "Critical");
    } else if (phase == Phase.ENDED) {
      messages.addObject().put("MessageId", "TaskEvent.1.0.Task" + taskEnd).put("Message", "The task is " + taskEnd + ".");
    } else if (phase == Phase.DONE) {
      messages.addObject().put("MessageId", "Update.1.0.UpdateSuccessful").put("Message", "Device 'BMC' successfully updated with image.");
    }
    return task;
  }

  synchronized void begin(String imageUri, String applyTime) {
    phase = Phase.FETCHING;
    percent = 0;
    current = slots.image(imageUri);
    currentApplyTime = applyTime;
    resetDone = false;
    taskDeleted = false;
    if (completeWithoutFetch) phase = Phase.FLASHING;
    if (neverFetch || completeWithoutFetch) return;
    Thread fetcher = new Thread(() -> new ImageFetch(this).run(imageUri), "fake-bmc-fetch");
    fetcher.setDaemon(true);
    fetcher.start();
  }

  /** The push: the image arrived in the request itself, named {@code file} (null when the body is the image alone). */
  synchronized void pushed(byte[] image, String file, String applyTime) {
    fetched = image.length;
    fetchedSha = Samples.sha256(image);
    current = slots.image(file);
    currentApplyTime = applyTime;
    percent = 0;
    taskDeleted = false;
    String sha = current != null && current.sha256() != null ? current.sha256() : expectedSha;
    phase = sha == null || sha.equals(fetchedSha) ? Phase.FLASHING : Phase.FAILED;
    message = phase == Phase.FAILED ? "Image verification failed: checksum mismatch" : null;
  }

  synchronized void fail(String why) {
    phase = Phase.FAILED;
    message = why;
  }

  /** Each progress read moves the flash half way on; at the end a configured reset, failure or success. */
  synchronized void advance() {
    if (phase == Phase.RESETTING && System.nanoTime() >= downUntil) {
      phase = Phase.DONE;
      version = "2.00";
      return;
    }
    if (phase != Phase.FLASHING || stall) return;
    percent = Math.min(100, percent + 50);
    if (percent < 100) return;
    if (current != null && failTask == null && taskEnd == null) {
      flashedSlot();
    } else if (failTask != null) {
      fail(failTask);
    } else if (taskEnd != null) {
      phase = Phase.ENDED;
    } else if (taskGoneThenResetAfter != null) {
      phase = Phase.TASK_GONE; // the task is deleted now; the reset comes a little later
      resetAt = System.nanoTime() + taskGoneThenResetAfter.toNanos();
    } else if (!resetFor.isZero() && !resetDone && !resetAfterComplete) {
      resetDone = true;
      phase = Phase.RESETTING;
      tokens.clear(); // a reset BMC forgets its sessions
      downUntil = System.nanoTime() + resetFor.toNanos();
    } else if (!answer204) {
      phase = Phase.DONE;
      version = "2.00";
      if (resetAfterComplete && !resetFor.isZero()) {
        tokens.clear(); // says Complete, then resets to activate the new firmware
        downUntil = System.nanoTime() + resetFor.toNanos();
      }
    }
  }

  /** A known image's flash ended: it takes effect now, at the host's restart, or with a reset of this BMC (connections refused a moment). */
  private void flashedSlot() {
    phase = Phase.DONE;
    if (dialect == Dialect.IDRAC9) taskDeleted = true; // read once as Completed, then gone
    if (!slots.flashed(current, currentApplyTime)) return;
    tokens.clear();
    downUntil = System.nanoTime() + slots.bmcDown.toNanos();
    if (onDown != null) onDown.run();
  }

  boolean down() {
    return System.nanoTime() < downUntil;
  }

  /** Time moves on between requests: a deleted task's reset begins, and a reset BMC comes back with its new firmware. */
  synchronized void clock() {
    if (taskGoneThenResetAfter == null) return;
    if (flapIn > 0 && --flapIn == 0) {
      tokens.clear(); // back for a moment, then down again: still booting
      downUntil = System.nanoTime() + resetFor.toNanos();
      if (onDown != null) onDown.run();
    } else if (phase == Phase.TASK_GONE && System.nanoTime() >= resetAt) {
      phase = Phase.RESETTING;
      tokens.clear();
      downUntil = System.nanoTime() + resetFor.toNanos();
      if (onDown != null) onDown.run();
    } else if (phase == Phase.RESETTING && !down() && flapsAfterReset > 0) {
      flapsAfterReset--;
      flapIn = 3; // this request and the next two are answered (the old inventory among them), the fourth finds it down
    } else if (phase == Phase.RESETTING && !down() && flapIn == 0) {
      phase = Phase.DONE;
      if (appliedOnReset) version = "2.00";
    }
  }

  /** The task or its monitor is deleted. */
  boolean taskGone() {
    return taskDeleted && phase == Phase.DONE || phase == Phase.TASK_GONE || taskGoneThenResetAfter != null && (phase == Phase.RESETTING || phase == Phase.DONE);
  }

  static ObjectNode object(String type, String id) {
    ObjectNode node = JSON.createObjectNode();
    node.put("@odata.type", type).put("@odata.id", id);
    return node;
  }

  static void link(ObjectNode node, String name, String id) {
    node.putObject(name).put("@odata.id", id);
  }
}
