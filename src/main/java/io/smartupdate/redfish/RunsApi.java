package io.smartupdate.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server's record of deploy runs ({@code /api/deploys}), as the deploying process writes and reads it. */
public final class RunsApi {
  /** One authenticated call of the server's API; {@link ServerApi.Refused} when it answers an error. */
  @FunctionalInterface
  interface Call {
    JsonNode send(String method, String path, Object body, boolean write) throws IOException;
  }

  private final Call call;
  private final URI api;

  RunsApi(Call call, URI api) {
    this.call = call;
    this.api = api;
  }

  /** {@code POST /api/deploys}: records a new run and its plan; answers the run as stored. */
  JsonNode create(Map<String, Object> run) throws IOException {
    return call.send("POST", "/api/deploys", run, true);
  }

  /** The image run {@code id} deploys, for {@code deploy --resume} without --image; null for a baseline run; the message names the fix. */
  public String image(String id) {
    try {
      return get(id).path("image").asText(null);
    } catch (IOException e) {
      throw new IllegalArgumentException("--resume " + id + ": the server at " + api + " says " + e.getMessage());
    }
  }

  /** {@code GET /api/deploys/{id}}. */
  JsonNode get(String id) throws IOException {
    return call.send("GET", run(id), null, false);
  }

  /** {@code PUT /api/deploys/{id}}: the run's state (running again on a resume, or how it ended), as its owner. */
  void state(String id, String state, String owner) throws IOException {
    call.send("PUT", run(id), Map.of("state", state, "owner", owner), true);
  }

  /** {@code POST /api/deploys/{id}/takeover}: {@link ServerApi.Refused} with status 409 while another owner's lease is live. */
  JsonNode takeOver(String id, String owner, String replaces, Duration lease) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("owner", owner);
    body.put("leaseSeconds", lease.toSeconds());
    if (replaces != null) body.put("replaces", replaces);
    return call.send("POST", run(id) + "/takeover", body, true);
  }

  /** {@code PUT /api/deploys/{id}/lease}: {@link ServerApi.Refused} with status 409 once another process took the run over. */
  void renewLease(String id, String owner, Duration lease) throws IOException {
    call.send("PUT", run(id) + "/lease", Map.of("owner", owner, "leaseSeconds", lease.toSeconds()), true);
  }

  /** {@code PUT /api/deploys/{id}/nodes/{node}/steps/{n}}: one step's new state and what it carries. */
  void stepState(String id, String node, int step, Map<String, Object> change) throws IOException {
    call.send("PUT", run(id) + "/nodes/" + URLEncoder.encode(node, StandardCharsets.UTF_8) + "/steps/" + step, change, true);
  }

  private static String run(String id) {
    return "/api/deploys/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }
}
