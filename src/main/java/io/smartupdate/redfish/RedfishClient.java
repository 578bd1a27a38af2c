package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BMC's Redfish conversation: a session ({@code X-Auth-Token}) or Basic authentication where
 * the service has no sessions, JSON in and out, and errors turned into {@link DeployFailure}s that
 * name the fix. A connection refused or reset is a {@link Gone}: the caller decides whether that
 * is a reset to wait out.
 */
final class RedfishClient {
  private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);
  /** Instants as ISO-8601 text: inventories carry when they were read. */
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  static final String ROOT = "/redfish/v1/";

  /** The BMC cannot be reached (refused, reset, closed): it may be resetting. */
  static final class Gone extends RuntimeException {
    Gone(String message) {
      super(message, null, false, false);
    }
  }

  /** A response: status, the JSON body (missing when none or not JSON) and the Location header. */
  record Response(int status, JsonNode body, String location, String raw, String authToken) {
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
  private volatile String token;
  private volatile String sessionUri;
  private volatile boolean basic;

  RedfishClient(Bmc bmc, HttpClient http, Duration timeout) {
    this.bmc = bmc;
    this.http = http;
    this.timeout = timeout;
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
      sessionUri = created.location != null ? path(created.location) : created.body.path("@odata.id").asText(null);
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
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json");
    if (body != null) {
      try {
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (authenticated) authenticate(request);
    return exchange(method, path, request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a prepared request (a push upload) with this client's authentication. */
  Response upload(String path, String contentType, HttpRequest.BodyPublisher body, Duration uploadTimeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(uploadTimeout).header("Content-Type", contentType)
        .header("Accept", "application/json").POST(body);
    authenticate(request);
    return exchange("POST", path, request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void authenticate(HttpRequest.Builder request) {
    if (basic) {
      String pair = bmc.user() + ":" + bmc.password();
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else if (token != null) {
      request.header("X-Auth-Token", token);
    }
  }

  private Response exchange(String method, String path, HttpRequest request, HttpResponse.BodyHandler<String> handler) {
    HttpResponse<String> response;
    try {
      response = http.send(request, handler);
    } catch (HttpTimeoutException e) {
      throw new DeployFailure("BMC " + bmc.address() + " did not answer " + method + " " + path + " within "
          + timeout.toSeconds() + " s (--timeout)");
    } catch (SSLException e) {
      throw BmcTls.untrusted(bmc, e);
    } catch (IOException e) {
      if (e.getCause() instanceof SSLException ssl) throw BmcTls.untrusted(bmc, ssl);
      throw new Gone("BMC " + bmc.address() + " cannot be reached: " + reason(e));
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
        response.headers().firstValue("X-Auth-Token").orElse(null));
  }

  private URI uri(String path) {
    return bmc.base().resolve(path.startsWith("/") ? path : "/" + path);
  }

  /** A Location header as a path on this BMC (some BMCs send absolute URLs). */
  static String path(String location) {
    URI uri = URI.create(location);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  static String reason(IOException e) {
    if (e instanceof java.net.ConnectException) return "connection refused";
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }
}
