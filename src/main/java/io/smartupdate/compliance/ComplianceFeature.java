package io.smartupdate.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.baseline.Analyzer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.JsonBody;
import io.smartupdate.http.Query;
import io.smartupdate.http.Routes;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes of the compliance feature.
 *
 * <pre>
 * curl -X PUT -H "Authorization: Bearer $(cat data/token)" -H 'Content-Type: application/json' \
 *      --data @inventory.json 'http://host:63001/api/nodes/ilo5-10.0.0.5/inventory?baseline=default'
 * curl http://host:63001/api/nodes/ilo5-10.0.0.5/inventory
 * curl http://host:63001/api/inventory
 * curl 'http://host:63001/api/compliance?baseline=gen10'
 * </pre>
 */
public final class ComplianceFeature implements HttpFeature {
  static final String INVENTORY = "/api/nodes/*/inventory";
  /** A server's inventory is a few dozen members; a megabyte leaves room for the largest without inviting abuse. */
  static final int MAX_BODY = 1024 * 1024;

  private final Compliance compliance;
  private final WriteAuth auth;

  public ComplianceFeature(Compliance compliance, WriteAuth auth) {
    this.compliance = compliance;
    this.auth = auth;
  }

  @Override
  public void routing(Routes routes) {
    routes.addBlocking("PUT", INVENTORY, this::put)
        .addBlocking("GET", INVENTORY, exchange -> {
          String node = node(exchange);
          Json.send(exchange, 200, compliance.stored(node).orElseThrow(() -> new Problem.NotFound("no inventory stored for node " + node
              + "; smartupdate analyze reads and stores one")));
        })
        // Every node's last inventory in one answer, for the inventory report.
        .addBlocking("GET", "/api/inventory", exchange -> Json.send(exchange, 200, Map.of("nodes", compliance.inventories())))
        .addBlocking("GET", "/api/compliance", exchange -> {
          String name = baselineName(exchange);
          List<Finding> rows = compliance.rows(name);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("baseline", name);
          body.put("nodes", rows.stream().map(Finding::node).distinct().count());
          body.put("actions", Compliance.count(rows));
          body.put("rows", rows);
          Json.send(exchange, 200, body);
        });
  }

  private void put(HttpServerExchange exchange) throws Exception {
    auth.precheck(exchange);
    String node = node(exchange);
    String baseline = baselineName(exchange);
    Analyzer.Options options = new Analyzer.Options(flag(exchange, "downgrade"), flag(exchange, "rewrite"));
    JsonBody.receiveBlocking(exchange, MAX_BODY, (ex, body) -> {
      auth.verify(ex, body);
      NodeInventory inventory = inventory(body, node);
      Json.send(ex, 200, compliance.store(inventory, baseline, options));
    });
  }

  /** The body as a NodeInventory for {@code node}; its own "node", when given, must agree with the path. */
  static NodeInventory inventory(byte[] body, String node) {
    ObjectNode json = Json.readObject(body, "{\"node\":\"ilo5-10.0.0.5\",\"model\":\"ProLiant DL380 Gen10\",\"items\":[...],\"readAt\":\"...\"}");
    JsonNode named = json.get("node");
    if (named != null && !named.isNull() && !named.asText().equals(node)) {
      throw Problem.BadInput.field("node", "in the body (" + named.asText() + ") differs from the path's (" + node + ")");
    }
    json.put("node", node);
    if (!json.hasNonNull("items")) throw Problem.BadInput.field("items", "is missing: send the FirmwareInventory members (may be empty)");
    if (!json.hasNonNull("readAt")) throw Problem.BadInput.field("readAt", "is missing: send when the inventory was read (ISO-8601)");
    try {
      return Json.MAPPER.treeToValue(json, NodeInventory.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw Problem.BadInput.field("body", "is not a node inventory: " + why);
    }
  }

  private static String node(HttpServerExchange exchange) {
    String raw = Routes.segment(INVENTORY, exchange.getRelativePath());
    return NodeName.require("node", raw == null ? "" : raw.replace("%3A", ":").replace("%3a", ":"));
  }

  private static String baselineName(HttpServerExchange exchange) {
    String name = Query.first(exchange, "baseline");
    if (name == null) return Baseline.DEFAULT;
    if (!name.matches("[A-Za-z0-9._-]{1,128}")) throw Problem.BadInput.field("baseline", "must be a baseline's name (A-Z a-z 0-9 . _ -)");
    return name;
  }

  private static boolean flag(HttpServerExchange exchange, String name) {
    String value = Query.first(exchange, name);
    if (value == null || value.equals("false")) return false;
    if (value.equals("true")) return true;
    throw Problem.BadInput.field(name, "must be true or false");
  }
}
