package io.smartupdate.redfish;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.baseline.ServedBaseline;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smartupdate server as deploy sees it, through its HTTP API only: health and catalog, a
 * hand-off session per BMC (the one-time image URL), the record of downloads (proof of fetch) and
 * status events under the write token.
 */
public final class ServerApi {
  private static final Logger log = LoggerFactory.getLogger(ServerApi.class);

  /** The server's ports from {@code /health}; ftp is 0 when FTP is off. */
  public record Health(String version, int http, int https, int ftp) {}

  /** The image in the catalog. */
  record Image(String path, long size, String sha256) {}

  /** A BMC's one-time image URL; {@code session} is the hand-off session id, null when the URL is shared. */
  record Ticket(String url, String session, String client, TransferProtocol protocol) {
    /** The URL without its session token, for messages and logs. */
    String shown() {
      int query = url.indexOf("?session=");
      return query < 0 ? url : url.substring(0, query);
    }
  }

  private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {};
  private final URI api;
  private final String token;
  private final URI publicBase;
  private final HttpClient http;
  private final AtomicBoolean statusWarned = new AtomicBoolean();
  private volatile Health health;
  private final RunsApi runs;

  /**
   * @param api where deploy reaches the server
   * @param token the write token (data/token), or null with --insecure-writes
   * @param publicBase --server: the URL BMCs must use, or null to use each BMC's route
   * @param trust trusts the server's certificate when {@code api} is https; may be null otherwise
   */
  public ServerApi(URI api, String token, URI publicBase, SSLContext trust) {
    this.api = api;
    this.token = token;
    this.publicBase = publicBase;
    HttpClient.Builder builder = HttpClients.builder().connectTimeout(Duration.ofSeconds(5));
    if (trust != null) builder.sslContext(trust);
    this.http = builder.build();
    this.runs = new RunsApi(this::call, api);
  }

  /** The server's record of deploy runs. */
  public RunsApi runs() {
    return runs;
  }

  public URI api() {
    return api;
  }

  /** {@code GET /health}; throws IOException when no server answers. */
  public Health health() throws IOException {
    JsonNode body = call("GET", "/health", null, false);
    JsonNode ports = body.path("ports");
    health = new Health(body.path("version").asText("?"), ports.path("http").asInt(), ports.path("https").asInt(), ports.path("ftp").asInt());
    return health;
  }

  /** Checks before any BMC is touched that the catalog has {@code path}; the message names the fix. */
  public void requireImage(String path) {
    try {
      images(List.of(path));
    } catch (DeployFailure e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** Checks before any BMC is touched that the server has baseline {@code name}; the message names the fix. */
  public void requireBaseline(String name) {
    try {
      call("GET", "/api/compliance?baseline=" + URLEncoder.encode(name, StandardCharsets.UTF_8), null, false);
    } catch (IOException e) {
      // The server's own words: the detail of its {"error","detail"} answer when there is one.
      String message = e instanceof Refused refused ? refused.detail() : e.getMessage();
      throw new IllegalArgumentException("--baseline " + name + ": " + message + " (server " + api + ")");
    }
  }

  /**
   * Stores a node's inventory ({@code PUT /api/nodes/{node}/inventory}); the server analyses it
   * against {@code baseline} and answers the findings, which are also what it keeps.
   */
  public List<Finding> storeInventory(NodeInventory inventory, String baseline, boolean downgrade, boolean rewrite) throws IOException {
    String path = "/api/nodes/" + inventory.node().replace(":", "%3A") + "/inventory?baseline=" + URLEncoder.encode(baseline, StandardCharsets.UTF_8)
        + "&downgrade=" + downgrade + "&rewrite=" + rewrite;
    JsonNode stored = call("PUT", path, RedfishClient.JSON.valueToTree(inventory), true);
    return RedfishClient.JSON.convertValue(stored.path("findings"), FINDINGS);
  }

  /** Baseline {@code name} as the server serves it ({@code GET /api/baselines/NAME}), with the components whose file is not them. */
  public ServedBaseline baseline(String name) throws IOException {
    JsonNode served = call("GET", "/api/baselines/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null, false);
    return ManifestReader.readServed(api.resolve("/api/baselines/" + name).toString(), RedfishClient.JSON.writeValueAsBytes(served));
  }

  /** Every component of every baseline the server has, those whose file matches them: where a plan looks for intermediate versions. */
  public List<Component> repositoryComponents() throws IOException {
    List<Component> all = new ArrayList<>();
    for (JsonNode entry : call("GET", "/api/baselines", null, false).path("baselines")) {
      ServedBaseline served = baseline(entry.path("name").asText());
      served.baseline().components().stream().filter(c -> !served.mismatches().containsKey(c.id())).forEach(all::add);
    }
    return List.copyOf(all);
  }

  /** A read-only {@code GET} of the API ({@code /api/compliance?baseline=x}); IOException with the server's detail when it refuses. */
  public JsonNode read(String path) throws IOException {
    return call("GET", path, null, false);
  }

  /** The catalog's entries for {@code paths}, from one {@code GET /api/catalog}; a path not there is refused naming it. */
  Map<String, Image> images(List<String> paths) {
    JsonNode catalog = unchecked("GET", "/api/catalog", null, false);
    Map<String, Image> found = new LinkedHashMap<>();
    for (String path : paths) {
      String wanted = path.startsWith("/") ? path.substring(1) : path;
      for (JsonNode image : catalog.path("images")) {
        if (image.path("path").asText().equals(wanted)) found.put(path, new Image(wanted, image.path("size").asLong(), image.path("sha256").asText()));
      }
      if (!found.containsKey(path)) {
        throw new DeployFailure("--image " + path + " is not in the repository the server at " + api + " serves ("
            + catalog.path("images").size() + " images; GET /api/catalog lists them)");
      }
    }
    return found;
  }

  /**
   * Opens the BMC's one-time URL: a hand-off session on its own port, or the shared port when the
   * range is full. The session is asked to stay open {@code idle} without a request, so that a BMC
   * slow to start fetching finds it still there.
   */
  Ticket open(Bmc bmc, TransferProtocol protocol, Image image, Duration idle) {
    Health ports = ports();
    String host = publicHost(bmc);
    String file = "/firmware/" + encodePath(image.path());
    if (protocol == TransferProtocol.FTP) {
      return new Ticket("ftp://" + host + ":" + ports.ftp() + "/" + encodePath(image.path()), null, bmc.host(), protocol);
    }
    String scheme = protocol.scheme();
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("scheme", scheme);
    request.put("node", bmc.node());
    request.put("idleSeconds", Math.max(1, idle.toSeconds()));
    try {
      JsonNode session = call("POST", "/api/handoff", request, true);
      return new Ticket(scheme + "://" + host + ":" + session.path("port").asInt() + file + "?session="
          + URLEncoder.encode(session.path("token").asText(), StandardCharsets.UTF_8), session.path("id").asText(), bmc.host(), protocol);
    } catch (IOException e) {
      // The range is full (503) or hand-off is unavailable: the shared port, attributed by the BMC's address.
      log.warn("no hand-off session for {} ({}); its image URL is the shared port, attributed by address", bmc.address(), e.getMessage());
      return new Ticket(scheme + "://" + host + ":" + sharedPort(scheme, ports) + file, null, bmc.host(), protocol);
    }
  }

  /**
   * The shared port BMCs reach for {@code scheme}: --public-url's when it names that scheme and a
   * port (a load balancer: the servers' own ports may take only the balancer's PROXY header), else
   * this server's own.
   */
  private int sharedPort(String scheme, Health ports) {
    if (publicBase != null && scheme.equals(publicBase.getScheme()) && publicBase.getPort() > 0) return publicBase.getPort();
    return scheme.equals("https") ? ports.https() : ports.http();
  }

  void close(Ticket ticket) {
    if (ticket.session() == null) return;
    try {
      call("DELETE", "/api/handoff/" + ticket.session(), null, true);
    } catch (IOException e) {
      log.debug("closing hand-off session {}: {}", ticket.session(), e.getMessage());
    }
  }

  /** {@code GET /api/downloads} for one image, and only one hand-off session's when {@code session} is not null. */
  JsonNode downloads(String image, String session) {
    // Only this BMC's session when it has one: the record's ring of recent downloads is shared by
    // the whole fleet, and a filtered answer stays small however many BMCs are polled.
    return unchecked("GET", "/api/downloads?path=" + URLEncoder.encode("/firmware/" + image, StandardCharsets.UTF_8)
        + (session != null ? "&session=" + URLEncoder.encode(session, StandardCharsets.UTF_8) : ""), null, false);
  }

  /** Posts a status event; a failure is logged once and never stops a deployment. */
  void status(String node, String phase, Integer progress, String component, String message) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("node", node);
    event.put("phase", phase);
    if (progress != null) event.put("progress", Math.max(0, Math.min(100, progress)));
    if (component != null) event.put("component", component);
    if (message != null) event.put("message", message.length() > 1000 ? message.substring(0, 1000) : message);
    try {
      call("POST", "/api/status", event, true);
    } catch (IOException | RuntimeException e) {
      if (statusWarned.compareAndSet(false, true)) log.warn("cannot post status events to {}: {}", api, e.getMessage());
    }
  }

  /** The Redfish EventService destination a BMC should post to. */
  String eventsDestination(Bmc bmc) {
    Health ports = ports();
    return ports.https() > 0 ? "https://" + publicHost(bmc) + ":" + ports.https() + "/redfish/events"
        : "http://" + publicHost(bmc) + ":" + ports.http() + "/redfish/events";
  }

  /** The image's bytes on the BMC's own URL, for a push: the record of downloads then shows this fetch too. */
  InputStream openImage(Ticket ticket) throws IOException {
    try {
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(ticket.url())).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("the server answered " + response.statusCode() + " for the image");
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  String token() {
    return token;
  }

  /** The server's ports, from the first {@code /health} of the run. */
  Health ports() {
    Health known = health;
    if (known != null) return known;
    try {
      return health();
    } catch (IOException e) {
      throw new DeployFailure("the smartupdate server at " + api + " cannot be reached: " + e.getMessage());
    }
  }

  /** The host BMCs use: --server's, or this machine's address on the route towards the BMC. */
  String publicHost(Bmc bmc) {
    if (publicBase != null) return publicBase.getHost();
    InetAddress local = routeTowards(bmc.host());
    if (local == null) return api.getHost();
    return local instanceof Inet6Address ? "[" + local.getHostAddress().replaceAll("%.*", "") + "]" : local.getHostAddress();
  }

  /** A UDP connect sends nothing but makes the kernel pick the route, and so the local address a BMC reaches back. */
  static InetAddress routeTowards(String host) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
      InetAddress local = socket.getLocalAddress();
      return local == null || local.isAnyLocalAddress() ? null : local;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private JsonNode unchecked(String method, String path, Object body, boolean write) {
    try {
      return call(method, path, body, write);
    } catch (IOException e) {
      throw new DeployFailure("the smartupdate server at " + api + " failed " + method + " " + path + ": " + e.getMessage());
    }
  }

  private JsonNode call(String method, String path, Object body, boolean write) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(RedfishClient.JSON.writeValueAsBytes(body)));
    if (body != null) request.header("Content-Type", "application/json");
    if (write && token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (response.statusCode() >= 300) {
      String detail = detail(response.body());
      throw new Refused(method + " " + path + " answered " + response.statusCode() + ": " + detail, detail, response.statusCode());
    }
    return response.body().isBlank() ? RedfishClient.JSON.createObjectNode() : RedfishClient.JSON.readTree(response.body());
  }

  /** The server answered, with an error: {@link #detail} is its own words. */
  public static final class Refused extends IOException {
    private final String detail;
    private final int status;

    Refused(String message, String detail, int status) {
      super(message);
      this.detail = detail;
      this.status = status;
    }

    public String detail() {
      return detail;
    }

    /** Another process holds the deploy run (409). */
    boolean conflict() {
      return status == 409;
    }
  }

  /** The {"error","detail"} body's detail, else its first line. */
  private static String detail(String body) {
    try {
      JsonNode json = RedfishClient.JSON.readTree(body);
      if (json != null && json.hasNonNull("detail")) return json.path("detail").asText();
    } catch (IOException e) {
      // not JSON: the first line says it
    }
    return body.lines().findFirst().orElse("");
  }

  private static String encodePath(String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (out.length() > 0) out.append('/');
      out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }
}
