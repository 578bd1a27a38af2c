package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.smartupdate.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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

  /** Sets the BMC's own firmware version, as installed before any update. */
  public FakeBmc installed(String bmcVersion) {
    this.version = bmcVersion;
    return this;
  }

  boolean sessions() {
    return dialect != Dialect.DMTF;
  }

  ObjectNode root() {
    ObjectNode root = object("#ServiceRoot.v1_11_0.ServiceRoot", "/redfish/v1/");
    root.put("Id", "RootService").put("Name", "Root Service").put("RedfishVersion", "1.15.0");
    link(root, "UpdateService", "/redfish/v1/UpdateService");
    link(root, "Managers", "/redfish/v1/Managers");
    link(root, "Systems", "/redfish/v1/Systems");
    link(root, "EventService", "/redfish/v1/EventService");
    if (sessions()) {
      link(root, "SessionService", "/redfish/v1/SessionService");
      link(root.putObject("Links"), "Sessions", "/redfish/v1/SessionService/Sessions");
    }
    switch (dialect) {
      case ILO5, ILO6 -> root.put("Vendor", "HPE").putObject("Oem").putObject("Hpe").putObject("Manager")
          .put("ManagerType", dialect == Dialect.ILO5 ? "iLO 5" : "iLO 6");
      case IDRAC9 -> root.put("Vendor", "Dell").put("Product", "Integrated Dell Remote Access Controller");
      case OPENBMC -> root.put("Vendor", "OpenBMC");
      default -> root.put("Vendor", "Contoso");
    }
    return root;
  }

  ObjectNode updateService() {
    ObjectNode service = object("#UpdateService.v1_11_0.UpdateService", "/redfish/v1/UpdateService");
    service.put("Id", "UpdateService").put("Name", "Update Service").put("ServiceEnabled", true);
    link(service, "FirmwareInventory", "/redfish/v1/UpdateService/FirmwareInventory");
    ObjectNode action = service.putObject("Actions").putObject("#UpdateService.SimpleUpdate");
    action.put("target", "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate");
    if (dialect == Dialect.DMTF) {
      action.put("@Redfish.ActionInfo", "/redfish/v1/UpdateService/SimpleUpdateActionInfo");
    } else {
      ArrayNode allowed = action.putArray("TransferProtocol@Redfish.AllowableValues");
      protocols.forEach(allowed::add);
    }
    if (dialect == Dialect.ILO6 || dialect == Dialect.IDRAC9) slots.applyTimeSupport(action);
    if (dialect == Dialect.OPENBMC) {
      slots.pushOptions(service);
      if (!noMultipart) service.put("MultipartHttpPushUri", "/redfish/v1/UpdateService/update-multipart");
      service.put("HttpPushUri", "/redfish/v1/UpdateService/update");
      service.put("MaxImageSizeBytes", 33554432);
    }
    if (dialect == Dialect.ILO5 || dialect == Dialect.ILO6) {
      ObjectNode hpe = service.putObject("Oem").putObject("Hpe");
      hpe.put("@odata.type", "#HpeiLOUpdateServiceExt.v2_3_0.HpeiLOUpdateServiceExt");
      String state = switch (phase) {
        case IDLE -> "Idle";
        case FETCHING -> "Uploading";
        case FLASHING, RESETTING -> "Progressing";
        case DONE -> "Complete";
        case TASK_GONE -> "Idle";
        case FAILED, ENDED -> "Error";
      };
      hpe.put("State", state).put("FlashProgressPercent", percent);
      if (phase == Phase.FAILED) hpe.putObject("Result").put("MessageId", message);
      if (dialect == Dialect.ILO5) advance(); // iLO 5 reports progress here only
    }
    return service;
  }

  ObjectNode actionInfo() {
    ObjectNode info = object("#ActionInfo.v1_3_0.ActionInfo", "/redfish/v1/UpdateService/SimpleUpdateActionInfo");
    info.put("Id", "SimpleUpdateActionInfo").put("Name", "Simple Update Action Info");
    ArrayNode parameters = info.putArray("Parameters");
    parameters.addObject().put("Name", "ImageURI").put("Required", true).put("DataType", "String");
    ArrayNode allowed = parameters.addObject().put("Name", "TransferProtocol").put("Required", false).put("DataType", "String")
        .putArray("AllowableValues");
    protocols.forEach(allowed::add);
    parameters.addObject().put("Name", "Targets").put("Required", requireTargets).put("DataType", "StringArray");
    return info;
  }

  /** The inventory: the BMC's own firmware (its version changes on a successful update), a BIOS that never does, then {@link #extraMembers}. */
  /** The Name of the BMC's own firmware in the inventory. */
  public String bmcName() {
    return switch (dialect) {
      case ILO5 -> "iLO 5";
      case ILO6 -> "iLO 6";
      case IDRAC9 -> "Integrated Dell Remote Access Controller";
      case OPENBMC -> "bmc_active";
      case DMTF -> "BMC";
    };
  }

  /** The Name of the host's BIOS or system ROM in the inventory. */
  public String biosName() {
    return dialect == Dialect.ILO5 || dialect == Dialect.ILO6 ? "System ROM" : "BIOS";
  }

  List<ObjectNode> inventory() {
    String bmcName = bmcName();
    String bmcId = switch (dialect) {
      case ILO5, ILO6 -> "1";
      case IDRAC9 -> "Installed-25227-" + version + "__iDRAC.Embedded.1-1";
      case OPENBMC -> "bmc_active";
      case DMTF -> "BMC";
    };
    String biosId = dialect == Dialect.IDRAC9 ? "Installed-159-" + biosVersion + "__BIOS.Setup.1-1" : dialect == Dialect.ILO5 || dialect == Dialect.ILO6 ? "2" : "BIOS";
    ObjectNode bmcItem = item(bmcId, bmcName, version);
    ObjectNode biosItem = item(biosId, biosName(), biosVersion);
    switch (dialect) {
      case ILO5, ILO6 -> {
        // iLO's HpeiLOSoftwareInventory: the device class and target GUIDs SUM and fwpkg payloads match on.
        hpe(bmcItem, ILO_DEVICE_CLASS, "System Board", ILO_TARGET);
        hpe(biosItem, ROM_DEVICE_CLASS, "System Board", ROM_TARGET);
      }
      case IDRAC9 -> {
        dell(bmcItem, "25227", "FRMW", null);
        dell(biosItem, "159", "BIOS", null);
        bmcItem.put("SoftwareId", "25227");
        biosItem.put("SoftwareId", "159");
      }
      default -> { }
    }
    List<ObjectNode> all = new ArrayList<>(List.of(bmcItem, biosItem));
    all.addAll(extraMembers);
    return all;
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

  /** Where the dialect keeps its one ComputerSystem. */
  String systemPath() {
    return switch (dialect) {
      case IDRAC9 -> "/redfish/v1/Systems/System.Embedded.1";
      case OPENBMC -> "/redfish/v1/Systems/system";
      default -> "/redfish/v1/Systems/1";
    };
  }

  /** The ComputerSystem: Model and SKU as each vendor fills them (Dell: the service tag, and a numeric SystemID). */
  ObjectNode system() {
    ObjectNode system = object("#ComputerSystem.v1_20_0.ComputerSystem", systemPath());
    system.put("Id", systemPath().substring(systemPath().lastIndexOf('/') + 1)).put("Name", "System");
    switch (dialect) {
      case ILO5 -> system.put("Manufacturer", "HPE").put("Model", model == null ? "ProLiant DL380 Gen10" : model).put("SKU", "868703-B21");
      case ILO6 -> system.put("Manufacturer", "HPE").put("Model", model == null ? "ProLiant DL380 Gen11" : model).put("SKU", "P52534-B21");
      case IDRAC9 -> {
        system.put("Manufacturer", "Dell Inc.").put("Model", model == null ? "PowerEdge R750" : model).put("SKU", "ABC1234");
        system.putObject("Oem").putObject("Dell").putObject("DellSystem").put("SystemID", 2667); // 0x0A6B
      }
      case OPENBMC -> system.put("Manufacturer", "OpenBMC").put("Model", model == null ? "Romulus" : model);
      case DMTF -> system.put("Manufacturer", "Contoso").put("Model", model == null ? "3500" : model).put("SKU", "8675309");
    }
    system.put("PowerState", slots.power());
    slots.resetAction(system, systemPath(), dialect == Dialect.OPENBMC);
    return system;
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
    Thread fetcher = new Thread(() -> fetch(imageUri), "fake-bmc-fetch");
    fetcher.setDaemon(true);
    fetcher.start();
  }

  /** Downloads the image for real, checks it against the server's catalog, then flashes (or fails as configured). */
  private void fetch(String imageUri) {
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(BmcTls.insecure()).connectTimeout(Duration.ofSeconds(5)).build();
      if (imageUri.startsWith("ftp:")) {
        fetchOverFtp(imageUri);
        return;
      }
      if (rangedFetch) {
        fetchInRanges(http, imageUri);
        return;
      }
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(imageUri)).build(), HttpResponse.BodyHandlers.ofInputStream());
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (cutHalfway && count + n >= length / 2) {
            count += (int) (length / 2 - count);
            break; // closing the stream now aborts the transfer half way
          }
          sha.update(buffer, 0, n);
          count += n;
        }
      }
      fetched = count;
      if (cutHalfway) {
        fail("Transfer of image '" + imageUri.replaceAll("\\?.*", "") + "' failed: connection closed");
        return;
      }
      fetchedSha = HexFormat.of().formatHex(sha.digest());
      // The catalog of the same origin, with the same session query: a hand-off port serves it too.
      URI uri = URI.create(imageUri);
      String catalog = http.send(HttpRequest.newBuilder(uri.resolve("/api/catalog" + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      String path = uri.getPath().substring("/firmware/".length());
      boolean known = false;
      for (var image : JSON.readTree(catalog).path("images")) {
        if (image.path("path").asText().equals(path)) known = image.path("sha256").asText().equals(fetchedSha);
      }
      if (!known) {
        fail("Image verification failed: checksum mismatch");
        return;
      }
      phase = Phase.FLASHING;
    } catch (Exception e) {
      fail("Transfer of image failed: " + e);
    }
  }

  /** The JDK's own ftp: URL client (anonymous, passive), as a BMC's firmware would. */
  private void fetchOverFtp(String imageUri) throws Exception {
    byte[] image;
    try (InputStream in = URI.create(imageUri).toURL().openStream()) {
      image = in.readAllBytes();
    }
    fetched = image.length;
    fetchedSha = Samples.sha256(image);
    phase = fetchedSha.equals(expectedSha) ? Phase.FLASHING : Phase.FAILED;
    message = phase == Phase.FAILED ? "Image verification failed: checksum mismatch" : null;
  }

  /** Some BMCs fetch an image in pieces: two Range requests, each half, then the same catalog check. */
  private void fetchInRanges(HttpClient http, String imageUri) throws Exception {
    URI uri = URI.create(imageUri);
    long size = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).headers().firstValueAsLong("Content-Length").orElseThrow();
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    for (String range : List.of("bytes=0-" + (size / 2 - 1), "bytes=" + size / 2 + "-")) {
      HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(uri).header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (part.statusCode() != 206) throw new IllegalStateException("range answered " + part.statusCode());
      image.write(part.body());
    }
    fetched = image.size();
    fetchedSha = Samples.sha256(image.toByteArray());
    phase = fetchedSha.equals(expectedSha) ? Phase.FLASHING : Phase.FAILED;
    message = phase == Phase.FAILED ? "Image verification failed: checksum mismatch" : null;
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

  private synchronized void fail(String why) {
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
