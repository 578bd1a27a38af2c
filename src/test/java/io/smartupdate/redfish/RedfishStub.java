package io.smartupdate.redfish;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.smartupdate.tls.HeldCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.UUID;

/**
 * A stub BMC over HTTPS: WireMock serves it, and one response transformer plays the BMC's Redfish
 * service from a {@link FakeBmc} (static shapes and live update state alike), so every dialect
 * shares one small piece of code.
 */
public final class RedfishStub implements AutoCloseable {
  private static final String STORE_PASSWORD = "stub-store";
  public final FakeBmc bmc;
  private final Path store;
  private final String bindAddress;
  private final int port;
  private volatile WireMockServer server;
  private volatile boolean closed;

  private RedfishStub(FakeBmc bmc, WireMockServer server, Path store, String bindAddress) {
    this.bmc = bmc;
    this.server = server;
    this.store = store;
    this.bindAddress = bindAddress;
    this.port = server.httpsPort();
  }

  /** Starts {@code bmc} on a free port of 127.0.0.1, with the certificate {@code leaf} (signed by {@code ca}). */
  static RedfishStub start(FakeBmc bmc, HeldCertificate leaf, HeldCertificate ca, Path dir) throws Exception {
    return start(bmc, leaf, ca, dir, "127.0.0.1");
  }

  /**
   * As above, on {@code bindAddress}: the analyze benchmark binds 0.0.0.0 so that one stub answers
   * as many BMCs, one per loopback address (127.0.x.y), without a thousand servers.
   */
  static RedfishStub start(FakeBmc bmc, HeldCertificate leaf, HeldCertificate ca, Path dir, String bindAddress) throws Exception {
    Path store = dir.resolve("bmc-" + UUID.randomUUID() + ".p12");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("bmc", leaf.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(), new Certificate[] {leaf.certificate(), ca.certificate()});
    try (OutputStream out = Files.newOutputStream(store)) {
      keys.store(out, STORE_PASSWORD.toCharArray());
    }
    RedfishStub stub = new RedfishStub(bmc, serve(bmc, store, bindAddress, 0), store, bindAddress);
    if (bmc.refuseConnectionsWhileDown) bmc.onDown = () -> new Thread(stub::bounce, "fake-bmc-reset").start();
    return stub;
  }

  private static WireMockServer serve(FakeBmc bmc, Path store, String bindAddress, int port) {
    WireMockServer server = new WireMockServer(wireMockConfig().httpDisabled(true).httpsPort(port).bindAddress(bindAddress)
        .keystorePath(store.toString()).keystorePassword(STORE_PASSWORD).keyManagerPassword(STORE_PASSWORD).keystoreType("PKCS12")
        .containerThreads(12).jettyAcceptors(1).disableRequestJournal().extensionScanningEnabled(false)
        .extensions(new Behaviour(bmc)));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    return server;
  }

  /** A reset that refuses connections: the listener closes while the BMC is down and opens again on the same port. */
  private synchronized void bounce() {
    server.stop();
    while (bmc.down()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!closed) server = serve(bmc, store, bindAddress, port);
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public synchronized void close() {
    closed = true;
    server.stop();
  }

  /** Writes {@code certificate} as PEM (for --bmc-ca). */
  static Path pem(Path file, HeldCertificate certificate) throws IOException {
    return Files.writeString(file, certificate.certificatePem());
  }

  /** The BMC's Redfish service, request by request. */
  private static final class Behaviour implements ResponseDefinitionTransformerV2 {
    private final FakeBmc bmc;

    Behaviour(FakeBmc bmc) {
      this.bmc = bmc;
    }

    @Override
    public String getName() {
      return "fake-bmc";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      bmc.misbehave.requests.incrementAndGet();
      bmc.clock();
      if (bmc.down()) return aResponse().withFault(bmc.downFault).build();
      ResponseDefinitionBuilder response = bmc.misbehave.intercept(event.getRequest());
      if (response == null) response = answer(event.getRequest());
      if (!bmc.delay.isZero()) response.withFixedDelay((int) bmc.delay.toMillis());
      return response.build();
    }

    private ResponseDefinitionBuilder answer(Request request) {
      String method = request.getMethod().getName();
      String path = request.getUrl().replaceAll("\\?.*", "").replaceAll("/$", "");
      if (method.equals("GET") && path.equals("/redfish/v1")) return json(200, bmc.resources.root());
      if (method.equals("POST") && path.equals("/redfish/v1/SessionService/Sessions")) return login(request);
      if (!authenticated(request)) return error(401, "Base.1.8.NoValidSession", "There is no valid session established with the implementation.");
      if (method.equals("DELETE") && path.startsWith("/redfish/v1/SessionService/Sessions/")) {
        bmc.tokens.remove(request.getHeader("X-Auth-Token"));
        bmc.sessionsDeleted.incrementAndGet();
        return aResponse().withStatus(204);
      }
      switch (method + " " + path) {
        case "GET /redfish/v1/UpdateService": return json(200, bmc.resources.updateService());
        case "GET /redfish/v1/UpdateService/SimpleUpdateActionInfo": return json(200, bmc.resources.actionInfo());
        case "GET /redfish/v1/UpdateService/FirmwareInventory": return json(200, collection("#SoftwareInventoryCollection.SoftwareInventoryCollection",
            path, bmc.inventory().stream().map(i -> i.get("@odata.id").asText()).toArray(String[]::new)));
        case "GET /redfish/v1/Managers": return json(200, collection("#ManagerCollection.ManagerCollection", path,
            bmc.noCollections ? new String[0] : new String[] {"/redfish/v1/Managers/1"}));
        case "GET /redfish/v1/Systems": return json(200, collection("#ComputerSystemCollection.ComputerSystemCollection", path,
            bmc.noCollections ? new String[0] : new String[] {bmc.systemPath()}));
        case "GET /redfish/v1/EventService": {
          ObjectNode events = FakeBmc.object("#EventService.v1_10_0.EventService", path);
          FakeBmc.link(events, "Subscriptions", "/redfish/v1/EventService/Subscriptions");
          return json(200, events);
        }
        case "POST /redfish/v1/EventService/Subscriptions": {
          bmc.lastSubscription = (ObjectNode) read(request);
          int id = bmc.subscriptions.incrementAndGet();
          return json(201, FakeBmc.object("#EventDestination.v1_13_0.EventDestination", "/redfish/v1/EventService/Subscriptions/" + id))
              .withHeader("Location", "/redfish/v1/EventService/Subscriptions/" + id);
        }
        case "POST /redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate": return simpleUpdate(request);
        case "POST /redfish/v1/UpdateService/update-multipart": return push(request);
        case "POST /redfish/v1/UpdateService/update": {
          // The older HttpPushUri: the image is the whole body.
          bmc.pushed(request.getBody(), null, null);
          return json(202, bmc.task("1"));
        }
        default: break;
      }
      if (method.equals("DELETE") && path.startsWith("/redfish/v1/EventService/Subscriptions/")) {
        bmc.subscriptionsDeleted.incrementAndGet();
        return aResponse().withStatus(204);
      }
      if (method.equals("GET") && path.startsWith("/redfish/v1/UpdateService/FirmwareInventory/")) {
        return bmc.inventory().stream().filter(i -> i.get("@odata.id").asText().equals(path)).findFirst()
            .map(i -> json(200, i)).orElse(error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found."));
      }
      if (method.equals("GET") && path.equals(bmc.systemPath())) return json(200, bmc.resources.system());
      if (method.equals("GET") && path.equals(bmc.systemPath() + "/ResetActionInfo")) return json(200, bmc.slots.resetActionInfo(bmc.systemPath()));
      if (method.equals("POST") && path.equals(bmc.systemPath() + "/Actions/ComputerSystem.Reset")) {
        String refused = bmc.slots.reset(read(request).path("ResetType").asText(null));
        return refused == null ? aResponse().withStatus(204) : error(400, "Base.1.8.ActionParameterValueNotInList", refused);
      }
      if (method.equals("GET") && path.startsWith("/redfish/v1/TaskService/") && bmc.taskGone()) {
        return error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found.");
      }
      if (method.equals("GET") && path.startsWith("/redfish/v1/TaskService/Tasks/")) return json(200, bmc.task(path.substring(path.lastIndexOf('/') + 1)));
      if (method.equals("GET") && path.startsWith("/redfish/v1/TaskService/TaskMonitors/")) {
        bmc.monitorReads.add(System.nanoTime());
        ObjectNode task = bmc.task(path.substring(path.lastIndexOf('/') + 1));
        String state = task.get("TaskState").asText();
        // A monitor answers 202 with the task while it runs, then the operation's own result.
        if (state.equals("Running") || state.equals("New")) {
          ResponseDefinitionBuilder running = json(202, task).withHeader("Location", path);
          return bmc.monitorRetryAfter == null ? running : running.withHeader("Retry-After", bmc.monitorRetryAfter);
        }
        return state.equals("Completed") ? aResponse().withStatus(204) : error(500, "Update.1.0.ApplyFailed", bmc.message);
      }
      return error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found.");
    }

    private ResponseDefinitionBuilder login(Request request) {
      if (!bmc.sessions()) return error(405, "Base.1.8.OperationNotAllowed", "The HTTP method is not allowed on this resource.");
      JsonNode body = read(request);
      if (bmc.refuseLogin || !FakeBmc.USER.equals(body.path("UserName").asText()) || !FakeBmc.PASSWORD.equals(body.path("Password").asText())) {
        return error(401, "Base.1.8.NoValidSession", "Invalid username or password.");
      }
      String token = UUID.randomUUID().toString().replace("-", "");
      bmc.tokens.add(token);
      int id = bmc.sessionsOpened.incrementAndGet();
      ObjectNode session = FakeBmc.object("#Session.v1_6_0.Session", "/redfish/v1/SessionService/Sessions/" + id);
      session.put("Id", String.valueOf(id)).put("UserName", FakeBmc.USER);
      return json(201, session).withHeader("X-Auth-Token", token).withHeader("Location", "/redfish/v1/SessionService/Sessions/" + id);
    }

    private boolean authenticated(Request request) {
      String token = request.getHeader("X-Auth-Token");
      if (token != null && bmc.tokens.contains(token)) return true;
      String basic = request.getHeader("Authorization");
      String expected = "Basic " + Base64.getEncoder().encodeToString((FakeBmc.USER + ":" + FakeBmc.PASSWORD).getBytes(StandardCharsets.UTF_8));
      return !bmc.refuseLogin && expected.equals(basic);
    }

    private ResponseDefinitionBuilder simpleUpdate(Request request) {
      ObjectNode body = (ObjectNode) read(request);
      bmc.lastSimpleUpdate = body;
      bmc.simpleUpdates.incrementAndGet();
      if (!body.hasNonNull("ImageURI")) return error(400, "Base.1.8.PropertyMissing", "The property ImageURI is a required property.");
      boolean targets = body.path("Targets").size() > 0;
      if (bmc.requireTargets && !targets) {
        return error(400, "Base.1.8.PropertyMissing", "The property Targets is a required property and must be included in the request.");
      }
      if (bmc.requireTargets && !bmc.acceptNoTargets && !body.path("Targets").get(0).asText().contains(bmc.acceptTarget)) {
        return error(400, "Base.1.8.ActionParameterValueNotInList", bmc.targetRefusal);
      }
      String applyTime = body.path("@Redfish.OperationApplyTime").asText(null);
      bmc.slots.applyTimesReceived.add(String.valueOf(applyTime));
      if (!bmc.slots.takes(applyTime)) return error(400, "Base.1.8.ActionParameterNotSupported", "The parameter @Redfish.OperationApplyTime"
          + " with the value '" + applyTime + "' is not supported by the action SimpleUpdate.");
      bmc.begin(body.get("ImageURI").asText(), applyTime);
      if (bmc.answer204) return aResponse().withStatus(204);
      return switch (bmc.dialect) {
        case ILO5 -> json(200, success());
        case ILO6 -> json(202, bmc.task("22")).withHeader("Location", "/redfish/v1/TaskService/TaskMonitors/22");
        case IDRAC9 -> aResponse().withStatus(202).withHeader("Location", "/redfish/v1/TaskService/Tasks/JID_27471016230" + bmc.simpleUpdates.get());
        default -> aResponse().withStatus(202).withHeader("Location", "/redfish/v1/TaskService/TaskMonitors/7");
      };
    }

    private ResponseDefinitionBuilder push(Request request) {
      if (!request.isMultipart() || request.getPart("UpdateParameters") == null || request.getPart("UpdateFile") == null) {
        return error(400, "Base.1.8.ActionParameterMissing", "UpdateParameters and UpdateFile parts are required.");
      }
      JsonNode parameters;
      try {
        parameters = FakeBmc.JSON.readTree(request.getPart("UpdateParameters").getBody().asString());
      } catch (IOException e) {
        return error(400, "Base.1.8.MalformedJSON", "UpdateParameters is not JSON.");
      }
      String applyTime = parameters.path("@Redfish.OperationApplyTime").asText(null);
      bmc.slots.applyTimesReceived.add(String.valueOf(applyTime));
      if (!bmc.slots.takes(applyTime)) return error(400, "Base.1.8.ActionParameterNotSupported", "The value '" + applyTime
          + "' for @Redfish.OperationApplyTime is not supported.");
      String disposition = request.getPart("UpdateFile").getHeader("Content-Disposition").firstValue();
      String file = disposition.replaceAll(".*filename=\"([^\"]*)\".*", "$1");
      bmc.pushed(request.getPart("UpdateFile").getBody().asBytes(), file, applyTime);
      return json(202, bmc.task("0")).withHeader("Location", "/redfish/v1/TaskService/Tasks/0/Monitor");
    }

    private static ObjectNode success() {
      ObjectNode body = FakeBmc.JSON.createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("code", "iLO.0.10.ExtendedInfo").put("message", "See @Message.ExtendedInfo for more information.");
      error.putArray("@Message.ExtendedInfo").addObject().put("MessageId", "Base.1.4.Success");
      return body;
    }

    private static ObjectNode collection(String type, String id, String... members) {
      ObjectNode node = FakeBmc.object(type, id);
      ArrayNode list = node.putArray("Members");
      for (String member : members) list.addObject().put("@odata.id", member);
      node.put("Members@odata.count", members.length);
      return node;
    }

    private static JsonNode read(Request request) {
      try {
        return FakeBmc.JSON.readTree(request.getBodyAsString());
      } catch (IOException e) {
        return FakeBmc.JSON.createObjectNode();
      }
    }

    private static ResponseDefinitionBuilder json(int status, JsonNode body) {
      return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withHeader("OData-Version", "4.0")
          .withBody(body.toString());
    }

    private static ResponseDefinitionBuilder error(int status, String id, String message) {
      ObjectNode body = FakeBmc.JSON.createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("code", id).put("message", message);
      error.putArray("@Message.ExtendedInfo").addObject().put("MessageId", id).put("Message", message).put("Severity", "Critical");
      return json(status, body);
    }
  }
}
