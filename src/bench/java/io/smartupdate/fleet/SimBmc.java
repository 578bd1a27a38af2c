package io.smartupdate.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * One simulated BMC: its Redfish resources in the DMTF schemas' shapes (ServiceRoot v1, SessionService
 * with X-Auth-Token, UpdateService with SimpleUpdate, Task v1, SoftwareInventory v1, one
 * ComputerSystem and one Manager) and its update state. Every answer is built from memory on the IO
 * thread: nothing here blocks. The fetch, the flash and the reset are driven by {@link SimBmcs}.
 */
public final class SimBmc {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpString AUTH_TOKEN = new HttpString("X-Auth-Token");
  private static final HttpString ODATA_VERSION = new HttpString("OData-Version");
  private static final String ROOT = "/redfish/v1";
  private static final String INVENTORY = ROOT + "/UpdateService/FirmwareInventory";
  private static final String SIMPLE_UPDATE = ROOT + "/UpdateService/Actions/UpdateService.SimpleUpdate";
  private static final String TASKS = ROOT + "/TaskService/Tasks/";
  private static final String SESSIONS = ROOT + "/SessionService/Sessions";

  /** A firmware update task: Running while the image is fetched and flashed, then Completed or Exception. */
  static final class Task {
    final String id;
    volatile String state = "Running";
    volatile int percent;
    volatile String message = "The image is being downloaded.";

    Task(String id) {
      this.id = id;
    }
  }

  private final SimBmcs fleet;
  final int port;
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final AtomicInteger sessionIds = new AtomicInteger();
  private final AtomicInteger taskIds = new AtomicInteger();
  /** Open connections, to cut at a reset as a rebooting BMC does. */
  final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
  /** Updates accepted, and updates that ended Completed: what a benchmark checks. */
  public final AtomicInteger updates = new AtomicInteger();
  public final AtomicInteger completed = new AtomicInteger();
  volatile boolean down;

  SimBmc(SimBmcs fleet, int port) {
    this.fleet = fleet;
    this.port = port;
    for (String member : SimImage.MEMBERS) versions.put(member, SimImage.INSTALLED);
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The version a member reports now. */
  public String version(String member) {
    return versions.get(member);
  }

  /** The member's Name in the inventory, which a baseline's nameRegex matches. */
  static String memberName(String member) {
    return switch (member) {
      case "BMC" -> "BMC Firmware";
      case "BIOS" -> "System BIOS";
      default -> "Ethernet Adapter";
    };
  }

  /** Back to {@link SimImage#INSTALLED} on every member, no task, no session: ready for another deploy. */
  void reinstall() {
    for (String member : SimImage.MEMBERS) versions.put(member, SimImage.INSTALLED);
    tasks.clear();
    tokens.clear();
    updates.set(0);
    completed.set(0);
  }

  void installed(String member, String version) {
    versions.put(member, version);
  }

  /** A reset forgets every session. */
  void forgetSessions() {
    tokens.clear();
  }

  void handle(HttpServerExchange exchange) {
    if (down) {
      IoUtils.safeClose(exchange.getConnection()); // a request that slipped in as the BMC went down
      return;
    }
    String method = exchange.getRequestMethod().toString();
    String path = exchange.getRequestPath().replaceAll("/$", "");
    if (method.equals("GET") && path.equals(ROOT)) {
      send(exchange, 200, root());
      return;
    }
    if (method.equals("POST") && path.equals(SESSIONS)) {
      exchange.getRequestReceiver().receiveFullBytes((ex, body) -> login(ex, body));
      return;
    }
    String token = exchange.getRequestHeaders().getFirst(AUTH_TOKEN);
    if (token == null || !tokens.contains(token)) {
      error(exchange, 401, "Base.1.8.NoValidSession", "There is no valid session established with the implementation.");
      return;
    }
    if (method.equals("POST") && path.equals(SIMPLE_UPDATE)) {
      exchange.getRequestReceiver().receiveFullBytes((ex, body) -> simpleUpdate(ex, body));
      return;
    }
    if (method.equals("DELETE") && path.startsWith(SESSIONS + "/")) {
      tokens.remove(token);
      exchange.setStatusCode(204).endExchange();
      return;
    }
    ObjectNode answer = method.equals("GET") ? resource(path) : null;
    if (answer == null) {
      error(exchange, method.equals("GET") ? 404 : 405, method.equals("GET") ? "Base.1.8.ResourceMissingAtURI" : "Base.1.8.OperationNotAllowed",
          "The resource at the URI " + path + " was not found or does not allow " + method + ".");
      return;
    }
    send(exchange, 200, answer);
  }

  private ObjectNode resource(String path) {
    if (path.equals(ROOT + "/SessionService")) {
      ObjectNode service = object("#SessionService.v1_1_8.SessionService", path).put("Id", "SessionService").put("ServiceEnabled", true);
      link(service, "Sessions", SESSIONS);
      return service;
    }
    if (path.equals(ROOT + "/UpdateService")) return updateService();
    if (path.equals(INVENTORY)) {
      return collection("#SoftwareInventoryCollection.SoftwareInventoryCollection", path,
          SimImage.MEMBERS.stream().map(m -> INVENTORY + "/" + m).toArray(String[]::new));
    }
    if (path.startsWith(INVENTORY + "/") && versions.containsKey(path.substring(INVENTORY.length() + 1))) return item(path.substring(INVENTORY.length() + 1));
    if (path.equals(ROOT + "/Systems")) return collection("#ComputerSystemCollection.ComputerSystemCollection", path, ROOT + "/Systems/1");
    if (path.equals(ROOT + "/Systems/1")) {
      return object("#ComputerSystem.v1_20_0.ComputerSystem", path).put("Id", "1").put("Name", "System").put("Manufacturer", "smartupdate")
          .put("Model", "Sim Server 1000").put("SKU", "SIM-1000").put("BiosVersion", versions.get("BIOS")).put("PowerState", "On");
    }
    if (path.equals(ROOT + "/Managers")) return collection("#ManagerCollection.ManagerCollection", path, ROOT + "/Managers/1");
    if (path.equals(ROOT + "/Managers/1")) {
      return object("#Manager.v1_19_0.Manager", path).put("Id", "1").put("Name", "Manager").put("ManagerType", "BMC")
          .put("FirmwareVersion", versions.get("BMC"));
    }
    if (path.startsWith(TASKS)) {
      Task task = tasks.get(path.substring(TASKS.length()));
      return task == null ? null : task(task);
    }
    return null;
  }

  private ObjectNode root() {
    ObjectNode root = object("#ServiceRoot.v1_11_0.ServiceRoot", ROOT + "/").put("Id", "RootService").put("Name", "Root Service")
        .put("RedfishVersion", "1.15.0").put("Vendor", "smartupdate-sim").put("UUID", new UUID(0, port).toString());
    link(root, "SessionService", ROOT + "/SessionService");
    link(root, "UpdateService", ROOT + "/UpdateService");
    link(root, "Systems", ROOT + "/Systems");
    link(root, "Managers", ROOT + "/Managers");
    link(root.putObject("Links"), "Sessions", SESSIONS);
    return root;
  }

  private ObjectNode updateService() {
    ObjectNode service = object("#UpdateService.v1_11_0.UpdateService", ROOT + "/UpdateService").put("Id", "UpdateService")
        .put("Name", "Update Service").put("ServiceEnabled", true);
    link(service, "FirmwareInventory", INVENTORY);
    ObjectNode action = service.putObject("Actions").putObject("#UpdateService.SimpleUpdate").put("target", SIMPLE_UPDATE);
    action.putArray("TransferProtocol@Redfish.AllowableValues").add("HTTP").add("HTTPS");
    return service;
  }

  private ObjectNode item(String member) {
    ObjectNode item = object("#SoftwareInventory.v1_10_0.SoftwareInventory", INVENTORY + "/" + member).put("Id", member)
        .put("Name", memberName(member)).put("Version", versions.get(member)).put("Updateable", true);
    item.putObject("Status").put("State", "Enabled").put("Health", "OK");
    return item;
  }

  private ObjectNode task(Task task) {
    ObjectNode node = object("#Task.v1_7_0.Task", TASKS + task.id).put("Id", task.id).put("Name", "Firmware Update Task")
        .put("TaskState", task.state).put("TaskStatus", task.state.equals("Exception") ? "Critical" : "OK").put("PercentComplete", task.percent);
    String id = switch (task.state) {
      case "Completed" -> "Update.1.0.UpdateSuccessful";
      case "Exception" -> "Update.1.0.ApplyFailed";
      default -> "Update.1.0.TransferringToComponent";
    };
    node.putArray("Messages").addObject().put("MessageId", id).put("Message", task.message).put("Severity", task.state.equals("Exception") ? "Critical" : "OK");
    return node;
  }

  private void login(HttpServerExchange exchange, byte[] body) {
    JsonNode credentials = parse(body);
    if (credentials == null || !fleet.user.equals(credentials.path("UserName").asText()) || !fleet.password.equals(credentials.path("Password").asText())) {
      error(exchange, 401, "Base.1.8.NoValidSession", "Invalid username or password.");
      return;
    }
    String token = UUID.randomUUID().toString().replace("-", "");
    tokens.add(token);
    String uri = SESSIONS + "/" + sessionIds.incrementAndGet();
    exchange.getResponseHeaders().put(AUTH_TOKEN, token).put(Headers.LOCATION, uri);
    send(exchange, 201, object("#Session.v1_6_0.Session", uri).put("Id", uri.substring(SESSIONS.length() + 1)).put("UserName", fleet.user));
  }

  private void simpleUpdate(HttpServerExchange exchange, byte[] body) {
    JsonNode request = parse(body);
    if (request == null || !request.hasNonNull("ImageURI")) {
      error(exchange, 400, "Base.1.8.PropertyMissing", "The property ImageURI is a required property and must be included in the request.");
      return;
    }
    String protocol = request.path("TransferProtocol").asText("HTTPS");
    if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
      error(exchange, 400, "Base.1.8.ActionParameterNotSupported", "The value " + protocol + " for TransferProtocol is not supported.");
      return;
    }
    String target = null;
    for (JsonNode uri : request.path("Targets")) {
      String member = uri.asText().replaceAll(".*/", "");
      if (!uri.asText().startsWith(INVENTORY + "/") || !versions.containsKey(member)) {
        error(exchange, 400, "Base.1.8.ActionParameterValueNotInList", "The Targets value " + uri.asText() + " is not a member of " + INVENTORY + ".");
        return;
      }
      target = member;
    }
    if (tasks.values().stream().anyMatch(t -> t.state.equals("Running"))) {
      error(exchange, 503, "Base.1.8.ServiceTemporarilyUnavailable", "An update is already in progress.");
      return;
    }
    Task task = new Task(String.valueOf(taskIds.incrementAndGet()));
    tasks.put(task.id, task);
    updates.incrementAndGet();
    fleet.fetch(this, task, request.get("ImageURI").asText(), target);
    exchange.getResponseHeaders().put(Headers.LOCATION, TASKS + task.id);
    send(exchange, 202, task(task));
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return null;
    }
  }

  private static void send(HttpServerExchange exchange, int status, ObjectNode body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json;charset=utf-8").put(ODATA_VERSION, "4.0");
    exchange.getResponseSender().send(body.toString());
  }

  private static void error(HttpServerExchange exchange, int status, String messageId, String message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error").put("code", messageId).put("message", message);
    error.putArray("@Message.ExtendedInfo").addObject().put("MessageId", messageId).put("Message", message).put("Severity", "Critical");
    send(exchange, status, body);
  }

  private static ObjectNode object(String type, String id) {
    return JSON.createObjectNode().put("@odata.type", type).put("@odata.id", id);
  }

  private static ObjectNode collection(String type, String id, String... members) {
    ObjectNode collection = object(type, id).put("Name", "Collection").put("Members@odata.count", members.length);
    ArrayNode list = collection.putArray("Members");
    for (String member : members) list.addObject().put("@odata.id", member);
    return collection;
  }

  private static void link(ObjectNode node, String name, String id) {
    node.putObject(name).put("@odata.id", id);
  }
}
