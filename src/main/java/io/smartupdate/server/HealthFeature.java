package io.smartupdate.server;

import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health}: liveness, the ports actually bound, and the status store. While the store
 * fails, the status is {@code degraded} (firmware is still served, status writes answer 503) and
 * {@code store} says why; likewise {@code repository} while the bucket of an object-storage
 * repository does not answer (cached images still served, uncached ones 503). The answer stays 200
 * so a load balancer keeps sending downloads. With a repository manifest, {@code manifest} counts
 * baselines and components and lists the files whose sha-256 or size differ from their entry
 * (never offered as that component).
 */
final class HealthFeature implements HttpFeature {
  private final Supplier<Map<String, Integer>> ports;
  private final Supplier<String> storeFailure;
  private final Supplier<String> repositoryFailure;
  private final Supplier<Map<String, Object>> manifest;

  /** {@code repositoryFailure}: why the bucket holding the repository does not answer, or null (always null for a directory). */
  HealthFeature(Supplier<Map<String, Integer>> ports, Supplier<String> storeFailure, Supplier<String> repositoryFailure,
      Supplier<Map<String, Object>> manifest) {
    this.ports = ports;
    this.storeFailure = storeFailure;
    this.repositoryFailure = repositoryFailure;
    this.manifest = manifest;
  }

  @Override
  public void routing(Routes routes) {
    // Blocking: the manifest's files are stat'ed to tell a mismatch.
    routes.addBlocking("GET", "/health", exchange -> {
      Map<String, Object> body = new LinkedHashMap<>();
      String failure = storeFailure.get();
      String repository = repositoryFailure.get();
      body.put("status", failure == null && repository == null ? "up" : "degraded");
      body.put("version", Version.get());
      body.put("ports", ports.get());
      body.put("store", failure == null ? "ok" : "failing: " + failure);
      body.put("repository", repository == null ? "ok" : "failing: " + repository);
      Map<String, Object> baselines = manifest.get();
      if (baselines != null) body.put("manifest", baselines);
      Json.send(exchange, 200, body);
    });
  }
}
