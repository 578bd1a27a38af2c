package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BMC's Redfish conversation: a session ({@code X-Auth-Token}) or Basic authentication where
 * the service has no sessions, JSON in and out, and errors turned into {@link DeployFailure}s that
 * name the fix. A connection refused or reset is a {@link Gone} and an answer that never comes a
 * {@link NoAnswer}: the caller decides whether that is a reset to wait out. A busy BMC (503 or 429)
 * is waited for as its {@code Retry-After} asks, within --timeout.
 *
 * <p>A BMC is untrusted input: every URI it hands back (Location, TaskMonitor, {@code @odata.id})
 * must stay on its own origin, or the session token would follow it elsewhere; redirects are never
 * followed; bodies are read up to {@link #MAX_BODY} bytes only.
 */
final class RedfishClient {
  private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);
  /** Instants as ISO-8601 text: inventories carry when they were read. */
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  static final String ROOT = "/redfish/v1/";
  /** The largest answer read: a FirmwareInventory with every member expanded is a few hundred KiB on the largest servers. */
  static final int MAX_BODY = 4 * 1024 * 1024;
  /** The wait when a busy BMC gives no Retry-After. */
  private static final Duration BUSY_DEFAULT = Duration.ofSeconds(2);

  /** The BMC cannot be reached (refused, reset, closed): it may be resetting. */
  static final class Gone extends RuntimeException {
    Gone(String message) {
      super(message, null, false, false);
    }
  }

  /** The BMC took the connection but did not answer within the request timeout: it may be booting, or just slow. */
  static final class NoAnswer extends DeployFailure {
    NoAnswer(String message) {
      super(message);
    }
  }

  /** Told how long a busy BMC asks to be left alone: the pause, what was asked, and the answer's status. */
  interface BusyListener {
    void waiting(Duration pause, String request, int status);
  }

  /** A response: status, the JSON body (missing when none or not JSON), the Location header, and Retry-After when given. */
  record Response(int status, JsonNode body, String location, String raw, String authToken, Duration retryAfter) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The BMC's own words: the first {@code @Message.ExtendedInfo} Message, or the error message, or the body's start. */
    String message() {
      JsonNode error = body.path("error");
      for (JsonNode info : error.path("@Message.ExtendedInfo")) {
        if (info.hasNonNull("Message")) return info.get("Message").asText();
      }
      if (error.hasNonNull("message")) return error.get("message").asText();
      String text = raw == null ? "" : raw.strip();
      return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
  }

  private final Bmc bmc;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration busyBudget;
  private final BusyListener busy;
  private volatile String token;
  private volatile String sessionUri;
  private volatile boolean basic;

  /**
   * @param timeout one request's timeout
   * @param busyBudget how long one request may be held off by 503s and 429s (--timeout)
   */
  RedfishClient(Bmc bmc, HttpClient http, Duration timeout, Duration busyBudget, BusyListener busy) {
    this.bmc = bmc;
    this.http = http;
    this.timeout = timeout;
    this.busyBudget = busyBudget;
    this.busy = busy;
  }

  Bmc bmc() {
    return bmc;
  }

  /** Opens a session; falls back to Basic when the service has no SessionService. */
  void login() {
    JsonNode root = get(ROOT).body;
    String sessions = root.path("Links").path("Sessions").path("@odata.id").asText(ROOT + "SessionService/Sessions");
    Map<String, String> credentials = Map.of("UserName", bmc.user(), "Password", bmc.password());
    Response created = send("POST", sessions, credentials, false);
    if (created.status == 401 || created.status == 403) throw refused(created);
    if (created.ok()) {
      token = created.authToken;
      sessionUri = created.location != null ? local(created.location) : local(created.body.path("@odata.id").asText(null));
      if (token != null) {
        basic = false;
        return;
      }
    }
    // No sessions here (404, 405, 501, or no token): Basic on every request instead.
    log.debug("BMC {}: no Redfish session ({}), using Basic authentication", bmc.address(), created.status);
    basic = true;
    Response probe = get(root.path("UpdateService").path("@odata.id").asText(ROOT + "UpdateService"));
    if (probe.status == 401 || probe.status == 403) throw refused(probe);
  }

  private DeployFailure refused(Response response) {
    return new DeployFailure("BMC " + bmc.address() + " refused the login of user '" + bmc.user() + "' (" + response.status
        + "): check --user and the password (--password-file or SMARTUPDATE_BMC_PASSWORD)");
  }

  /** Deletes the session, once; quiet on failure (the BMC expires it anyway). */
  void logout() {
    String uri = sessionUri;
    sessionUri = null;
    if (uri == null || token == null) return;
    try {
      send("DELETE", uri, null, true);
    } catch (RuntimeException e) {
      log.debug("BMC {}: closing the session failed: {}", bmc.address(), e.getMessage());
    }
    token = null;
  }

  /** Forgets the session without deleting it (a reset BMC forgot it already). */
  void forget() {
    sessionUri = null;
    token = null;
  }

  Response get(String path) {
    return send("GET", path, null, true);
  }

  Response post(String path, Object body) {
    return send("POST", path, body, true);
  }

  Response delete(String path) {
    return send("DELETE", path, null, true);
  }

  Response send(String method, String path, Object body, boolean authenticated) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return patiently(method, path, () -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json").method(method, publisher);
      if (body != null) request.header("Content-Type", "application/json");
      if (authenticated) authenticate(request);
      return request.build();
    });
  }

  /** Sends a prepared request (a push upload) with this client's authentication; {@code body} is subscribed again on a retry. */
  Response upload(String path, String contentType, HttpRequest.BodyPublisher body, Duration uploadTimeout) {
    return patiently("POST", path, () -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(uploadTimeout).header("Content-Type", contentType)
          .header("Accept", "application/json").POST(body);
      authenticate(request);
      return request.build();
    });
  }

  /** One exchange, repeated while the BMC answers 503 or 429: after the pause it asks for, until --timeout is spent. */
  private Response patiently(String method, String path, Supplier<HttpRequest> request) {
    long deadline = System.nanoTime() + busyBudget.toNanos();
    while (true) {
      Response response = exchange(method, path, request.get());
      if (response.status != 503 && response.status != 429) return response;
      Duration pause = response.retryAfter != null ? response.retryAfter : BUSY_DEFAULT;
      if (System.nanoTime() + pause.toNanos() > deadline) {
        throw new DeployFailure("BMC " + bmc.address() + " stayed busy (" + response.status + ") on " + method + " " + path + " for "
            + busyBudget.toSeconds() + " s (--timeout): " + response.message());
      }
      busy.waiting(pause, method + " " + path, response.status);
      Pause.sleep(pause);
    }
  }

  private void authenticate(HttpRequest.Builder request) {
    if (basic) {
      String pair = bmc.user() + ":" + bmc.password();
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else if (token != null) {
      request.header("X-Auth-Token", token);
    }
  }

  private Response exchange(String method, String path, HttpRequest request) {
    HttpResponse<String> response;
    BoundedBody.Handler handler = new BoundedBody.Handler(MAX_BODY);
    try {
      response = http.send(request, handler);
    } catch (HttpTimeoutException e) {
      throw new NoAnswer("BMC " + bmc.address() + " did not answer " + method + " " + path + " within "
          + timeout.toSeconds() + " s (--timeout)");
    } catch (IOException e) {
      if (handler.exceeded()) {
        throw new DeployFailure("BMC " + bmc.address() + " answered " + method + " " + path + " with more than " + MAX_BODY
            + " bytes: refused (a Redfish answer is far smaller)");
      }
      SSLException tls = e instanceof SSLException ssl ? ssl : e.getCause() instanceof SSLException ssl ? ssl : null;
      if (tls != null && BmcTls.certificateRefused(tls)) throw BmcTls.untrusted(bmc, tls);
      // A TLS session torn down mid-record is a resetting BMC, as a refused or reset connection is.
      throw new Gone("BMC " + bmc.address() + " cannot be reached: " + (e == tls ? "TLS " : "") + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployFailure("BMC " + bmc.address() + ": interrupted");
    }
    String raw = response.body();
    JsonNode json = MissingNode.getInstance();
    if (raw != null && !raw.isBlank()) {
      try {
        json = JSON.readTree(raw);
      } catch (IOException e) {
        json = MissingNode.getInstance();
      }
    }
    return new Response(response.statusCode(), json, response.headers().firstValue("Location").orElse(null), raw,
        response.headers().firstValue("X-Auth-Token").orElse(null), retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
  }

  private URI uri(String path) {
    return bmc.base().resolve(local(path));
  }

  /**
   * A URI the BMC handed back (Location, TaskMonitor, {@code @odata.id}) as a path on this BMC; null
   * stays null. Absolute URLs are taken only on the BMC's own origin: anywhere else the session
   * token would follow, so the BMC is refused.
   */
  String local(String reference) {
    if (reference == null) return null;
    URI uri;
    try {
      uri = bmc.base().resolve(reference.startsWith("/") || reference.contains("://") ? reference : "/" + reference);
    } catch (IllegalArgumentException e) {
      throw new DeployFailure("BMC " + bmc.address() + " sent a URI that is not one: '" + shorten(reference) + "'");
    }
    URI base = bmc.base();
    if (!"https".equalsIgnoreCase(uri.getScheme()) || !base.getHost().equalsIgnoreCase(uri.getHost()) || port(uri) != port(base)) {
      throw new DeployFailure("BMC " + bmc.address() + " pointed at " + shorten(reference) + ", outside its own origin " + base
          + ": refused, so that its session token never leaves it");
    }
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static int port(URI uri) {
    return uri.getPort() < 0 ? 443 : uri.getPort();
  }

  private static String shorten(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** Retry-After in seconds (RFC 9110 also allows an HTTP date); null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(Instant.now(), at.toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException neither) {
        return null;
      }
    }
  }

  static String reason(IOException e) {
    if (e instanceof ConnectException) return "connection refused";
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }
}
