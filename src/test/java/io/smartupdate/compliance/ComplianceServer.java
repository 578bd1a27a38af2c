package io.smartupdate.compliance;

import io.smartupdate.auth.WriteAuth;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.http.Json;
import io.smartupdate.http.Routes;
import io.smartupdate.metrics.Metrics;
import io.smartupdate.status.StatusService;
import io.smartupdate.testing.TinyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compliance routes, /metrics and /health on a real SQLite status store, with baselines the
 * test sets (and changes) directly: what analyze talks to, without a repository manifest.
 */
public final class ComplianceServer implements AutoCloseable {
  public final Map<String, Baseline> baselines = new ConcurrentHashMap<>();
  private final StatusService status;
  private final TinyServer server;

  private ComplianceServer(StatusService status, TinyServer server) {
    this.status = status;
    this.server = server;
  }

  public static ComplianceServer start(Path dataDir) {
    StatusService status = StatusService.open(null, dataDir);
    ComplianceServer[] self = new ComplianceServer[1];
    Compliance compliance = new Compliance(status.inventories(), name -> Optional.ofNullable(self[0].baselines.get(name)), Clock.systemUTC());
    Metrics metrics = new Metrics();
    metrics.gauges("smartupdate_components", "by action", "action", compliance::counts);
    TinyServer tiny = TinyServer.start(1, Routes.build(List.of(new ComplianceFeature(compliance, WriteAuth.insecure()), metrics.feature(),
        routes -> routes.add("GET", "/health", exchange -> Json.send(exchange, 200, Map.of("version", "test", "ports", Map.of("http", 1)))))));
    self[0] = new ComplianceServer(status, tiny);
    return self[0];
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    status.close();
  }
}
