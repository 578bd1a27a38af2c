package io.smartupdate.server;

import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /health}: liveness and the ports actually bound, for scripts and load balancers. */
final class HealthFeature implements HttpFeature {
  private final Supplier<Map<String, Integer>> ports;

  HealthFeature(Supplier<Map<String, Integer>> ports) {
    this.ports = ports;
  }

  @Override
  public void routing(Routes routes) {
    routes.add("GET", "/health", exchange -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "up");
      body.put("version", Version.get());
      body.put("ports", ports.get());
      Json.send(exchange, 200, body);
    });
  }
}
