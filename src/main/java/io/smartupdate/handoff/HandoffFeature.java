package io.smartupdate.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.JsonBody;
import io.smartupdate.http.Routes;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes of the hand-off feature.
 *
 * <pre>
 * curl -H "Authorization: Bearer $(cat data/token)" -X POST https://host:63002/api/handoff
 * # {"id":"…","port":63010,"scheme":"https","token":"…","expiresAt":"…","url":"https://host:63010/"}
 * curl -H "X-SU-Session: …" https://host:63010/firmware/hpe/ilo5_310.bin -O
 * </pre>
 */
final class HandoffFeature implements HttpFeature {
  private static final String PREFIX = "/api/handoff/";
  private final HandoffManager manager;
  private final WriteAuth auth;

  HandoffFeature(HandoffManager manager, WriteAuth auth) {
    this.manager = manager;
    this.auth = auth;
  }

  @Override
  public void routing(Routes routes) {
    routes.add("POST", "/api/handoff", this::open)
        .add("GET", "/api/handoff", exchange -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("range", manager.config().range());
          body.put("random", manager.config().random());
          body.put("idleSeconds", manager.config().idle().toSeconds());
          body.put("sessions", manager.list());
          Json.send(exchange, 200, body);
        })
        .addPrefix("DELETE", PREFIX, exchange -> {
          auth.precheck(exchange);
          auth.verify(exchange, new byte[0]);
          String id = exchange.getRelativePath().substring(PREFIX.length());
          if (!manager.close(id)) throw new Problem.NotFound("no hand-off session " + id + "; GET /api/handoff lists them");
          exchange.setStatusCode(204);
          exchange.endExchange();
        });
  }

  private void open(HttpServerExchange exchange) throws Exception {
    auth.precheck(exchange);
    JsonBody.receiveOptional(exchange, 4096, (ex, body) -> {
      auth.verify(ex, body);
      String scheme = ex.getRequestScheme();
      String node = clientNode(ex);
      Duration idle = null;
      if (body.length > 0) {
        JsonNode request = Json.readObject(body, "{\"scheme\":\"https\",\"node\":\"ilo-1\"}");
        if (request.hasNonNull("scheme")) scheme = request.get("scheme").asText();
        if (request.hasNonNull("node")) node = NodeName.require("node", request.get("node").asText());
        if (!scheme.equals("http") && !scheme.equals("https")) throw Problem.BadInput.field("scheme", "must be \"http\" or \"https\"");
        if (request.hasNonNull("idleSeconds")) idle = idleSeconds(request.get("idleSeconds"));
      }
      HandoffSession session = manager.open(node, scheme, idle);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("id", session.id);
      answer.put("port", session.port);
      answer.put("scheme", session.scheme);
      answer.put("token", session.token);
      answer.put("expiresAt", session.expiresAt);
      answer.put("idleSeconds", session.idle.toSeconds());
      answer.put("url", session.scheme + "://" + SessionGate.host(ex) + ":" + session.port + "/");
      answer.put("node", session.node);
      Json.send(ex, 201, answer);
    });
  }

  /** A session's own idle timeout: whole seconds from 1; above the maximum life it is the maximum life. */
  private static Duration idleSeconds(JsonNode value) {
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
      throw Problem.BadInput.field("idleSeconds", "must be a whole number of seconds from 1 (the server caps it at the session's maximum life)");
    }
    return Duration.ofSeconds(value.asLong());
  }

  /** The node a session is for when the client names none: its address, as a valid node name. */
  static String clientNode(HttpServerExchange exchange) {
    return NodeName.fromAddress(((InetSocketAddress) exchange.getSourceAddress()).getAddress().getHostAddress());
  }
}
