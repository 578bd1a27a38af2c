package io.smartupdate.deploys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.JsonBody;
import io.smartupdate.http.Query;
import io.smartupdate.http.Routes;
import io.smartupdate.status.DeployRuns;
import io.smartupdate.status.DeployRuns.Change;
import io.smartupdate.status.DeployRuns.Run;
import io.smartupdate.status.DeployRuns.RunState;
import io.smartupdate.status.DeployRuns.Step;
import io.smartupdate.status.DeployRuns.StepState;
import io.undertow.server.HttpServerExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deploy runs over HTTP: the deploying process (any process holding the write token) creates a
 * run with its plan and moves each step; anyone reads them.
 *
 * <pre>
 * GET  /api/deploys                                   the newest runs, with step counts by state
 * GET  /api/deploys/{id}                              one run, its options and every step
 * POST /api/deploys                                   {"image"|"baseline", "sha256"|"baselineDigest", "options", "owner", "leaseSeconds",
 *                                                      "steps":[{node, step, bmc, file, sha256, ...}]}
 * PUT  /api/deploys/{id}                              {"state":"done|failed|interrupted|running", "owner"}
 * PUT  /api/deploys/{id}/nodes/{node}/steps/{n}       {"state", "before", "after", "result", "reason", "taskUri", "owner"}
 * PUT  /api/deploys/{id}/lease                        {"owner", "leaseSeconds"}: the owner renews; 409 when it lost the run
 * POST /api/deploys/{id}/takeover                     {"owner", "leaseSeconds", "replaces"}: 409 while another's lease is live
 * </pre>
 *
 * A write that names an {@code owner} is refused (409) once another process took the run over, so
 * that two processes never drive one run. Lease times are this server's clock.
 */
public final class DeploysFeature implements HttpFeature {
  static final int MAX_BODY = 4 * 1024 * 1024;
  private static final String RUNS = "/api/deploys";
  private static final String RUN = RUNS + "/";
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private final DeployRuns runs;
  private final WriteAuth auth;
  private final Clock clock;

  public DeploysFeature(DeployRuns runs, WriteAuth auth, Clock clock) {
    this.runs = runs;
    this.auth = auth;
    this.clock = clock;
  }

  @Override
  public void routing(Routes routes) {
    routes.addBlocking("GET", RUNS, exchange -> {
      int limit = limit(Query.first(exchange, "limit"));
      Json.send(exchange, 200, Map.of("runs", runs.list(limit).stream().map(r -> r.seenAt(clock.instant())).toList()));
    })
        .addBlocking("POST", RUNS, exchange -> write(exchange, body -> Json.send(exchange, 201, run(create(body)))))
        .addPrefix("GET", RUN, Routes.blocking(exchange -> {
          List<String> parts = parts(exchange);
          if (parts.size() != 1) throw new Problem.NotFound("no such resource " + exchange.getRequestPath() + "; GET /api/deploys/{id} reads a run");
          Json.send(exchange, 200, run(parts.get(0)));
        }))
        .addPrefix("PUT", RUN, Routes.blocking(this::put))
        .addPrefix("POST", RUN, Routes.blocking(exchange -> {
          List<String> parts = parts(exchange);
          if (parts.size() != 2 || !parts.get(1).equals("takeover")) {
            throw new Problem.NotFound("no such resource " + exchange.getRequestPath() + "; POST /api/deploys/{id}/takeover takes a run over");
          }
          write(exchange, body -> {
            runs.takeOver(parts.get(0), owner(body), text(body, "replaces", false), clock.instant(), lease(body));
            Json.send(exchange, 200, run(parts.get(0)));
          });
        }));
  }

  private void put(HttpServerExchange exchange) {
    List<String> parts = parts(exchange);
    if (parts.size() == 1) {
      String id = parts.get(0);
      write(exchange, body -> {
        runs.finish(id, RunState.parse(text(body, "state", true)), text(body, "owner", false), clock.instant());
        Json.send(exchange, 200, run(id));
      });
    } else if (parts.size() == 2 && parts.get(1).equals("lease")) {
      write(exchange, body -> Json.send(exchange, 200, runs.renew(parts.get(0), owner(body), clock.instant(), lease(body))));
    } else if (parts.size() == 5 && parts.get(1).equals("nodes") && parts.get(3).equals("steps")) {
      int index = number(parts.get(4), "step");
      write(exchange, body -> Json.send(exchange, 200, runs.change(parts.get(0), parts.get(2), index, change(body), text(body, "owner", false),
          clock.instant())));
    } else {
      throw new Problem.NotFound("no such resource " + exchange.getRequestPath()
          + "; PUT /api/deploys/{id}, /api/deploys/{id}/lease or /api/deploys/{id}/nodes/{node}/steps/{n}");
    }
  }

  /** The run as shown now: orphaned when running past its owner's lease. */
  private Run run(String id) {
    return runs.get(id).orElseThrow(() -> new Problem.NotFound("no deploy run " + id + "; GET /api/deploys lists them")).seenAt(clock.instant());
  }

  private interface Body {
    void handle(ObjectNode body) throws Exception;
  }

  private void write(HttpServerExchange exchange, Body then) {
    auth.precheck(exchange);
    JsonBody.receiveBlocking(exchange, MAX_BODY, (ex, bytes) -> {
      auth.verify(ex, bytes);
      then.handle(Json.readObject(bytes, "{\"state\":\"done\"}"));
    });
  }

  /** Stores the new run with every step pending; answers its id. */
  private String create(ObjectNode body) {
    JsonNode stepsJson = body.path("steps");
    if (!stepsJson.isArray() || stepsJson.isEmpty()) throw Problem.BadInput.field("steps", "is required: the plan, one object per node and step");
    List<Step> steps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode s : stepsJson) {
      if (!s.isObject()) throw Problem.BadInput.field("steps", "must hold objects like {\"node\",\"step\",\"bmc\",\"file\"}");
      String node = text(s, "node", true);
      int index = s.path("step").isInt() ? s.get("step").asInt() : -1;
      if (!seen.add(node + "\n" + index)) throw Problem.BadInput.field("steps", "plan node " + node + " step " + index + " twice");
      steps.add(Step.planned(node, index, text(s, "bmc", true), text(s, "componentId", false), text(s, "component", false),
          text(s, "file", true), text(s, "expected", false), text(s, "sha256", false)));
    }
    Map<String, Object> options = body.path("options").isObject()
        ? Json.MAPPER.convertValue(body.get("options"), Json.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class))
        : Map.of();
    String id = ID_TIME.format(clock.instant()) + "-" + String.format("%04x", RANDOM.nextInt(0x10000));
    String owner = body.hasNonNull("owner") ? owner(body) : null;
    runs.create(new Run(id, clock.instant(), null, RunState.RUNNING, text(body, "baseline", false), text(body, "image", false),
        text(body, "sha256", false), options, steps, owner, owner == null ? null : clock.instant().plus(lease(body)),
        text(body, "baselineDigest", false)));
    return id;
  }

  private static String owner(JsonNode body) {
    String owner = text(body, "owner", true);
    if (owner.isBlank() || owner.length() > 256) throw Problem.BadInput.field("owner", "must be 1 to 256 characters (host:pid:id)");
    return owner;
  }

  /** {@code leaseSeconds}: how long the owner holds the run without renewing; 30 s when not given. */
  private static Duration lease(JsonNode body) {
    JsonNode seconds = body.get("leaseSeconds");
    if (seconds == null || seconds.isNull()) return DEFAULT_LEASE;
    if (!seconds.isInt() || seconds.asInt() < 1 || seconds.asInt() > 3600) throw Problem.BadInput.field("leaseSeconds", "must be 1 to 3600");
    return Duration.ofSeconds(seconds.asInt());
  }

  private static Change change(ObjectNode body) {
    return new Change(StepState.parse(text(body, "state", true)), text(body, "before", false), text(body, "after", false),
        text(body, "result", false), text(body, "reason", false), text(body, "taskUri", false));
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) throw Problem.BadInput.field(field, "is required");
      return null;
    }
    if (!value.isTextual()) throw Problem.BadInput.field(field, "must be a string");
    return value.asText();
  }

  /** The path after /api/deploys/, split and decoded. */
  private static List<String> parts(HttpServerExchange exchange) {
    List<String> parts = new ArrayList<>();
    for (String part : exchange.getRequestPath().substring(RUN.length()).split("/", -1)) {
      parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
    }
    if (parts.get(0).isEmpty()) throw new Problem.NotFound("no run id in the path; GET /api/deploys lists them");
    return parts;
  }

  private static int number(String text, String field) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw Problem.BadInput.field(field, "'" + text + "' is not a step number");
    }
  }

  private static int limit(String text) {
    if (text == null) return 100;
    int limit = number(text, "limit");
    if (limit < 1 || limit > 1000) throw Problem.BadInput.field("limit", "must be 1 to 1000");
    return limit;
  }
}
