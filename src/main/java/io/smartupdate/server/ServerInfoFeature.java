package io.smartupdate.server;

import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.Routes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/server}: what the web view's header shows (version, ports, certificate
 * fingerprint, repository, uptime, store). Public like {@code /health}: it holds no secret, and
 * a PostgreSQL URL is shown without its query and user part, where passwords go.
 *
 * <pre>curl http://host:63001/api/server</pre>
 */
final class ServerInfoFeature implements HttpFeature {
  private final ServerConfig config;
  private final Supplier<Map<String, Integer>> ports;
  private final String fingerprint;
  private final Supplier<String> storeFailure;
  private final Clock clock;
  private final Instant started;
  private final String repository;
  private final Map<String, String> store;

  ServerInfoFeature(ServerConfig config, Supplier<Map<String, Integer>> ports, String fingerprint, Supplier<String> storeFailure,
      Clock clock) {
    this.config = config;
    this.ports = ports;
    this.fingerprint = fingerprint;
    this.storeFailure = storeFailure;
    this.clock = clock;
    this.started = clock.instant();
    this.repository = config.repo().toAbsolutePath().normalize().toString();
    this.store = store(config.statusDb(), config.dataDir());
  }

  @Override
  public void routing(Routes routes) {
    routes.add("GET", "/api/server", exchange -> {
      Instant now = clock.instant();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("version", Version.get());
      body.put("commit", Version.commit());
      body.put("ports", ports.get());
      body.put("handoffPorts", config.handoff().range());
      body.put("fingerprint", fingerprint);
      body.put("repository", repository);
      body.put("now", now); // the page measures ages against the server's clock, not the browser's
      body.put("startedAt", started);
      body.put("uptimeSeconds", Duration.between(started, now).toSeconds());
      body.put("store", store);
      body.put("storeFailure", storeFailure.get());
      body.put("writes", config.insecureWrites() ? "insecure" : "token");
      Json.send(exchange, 200, body);
    });
  }

  /** The store's kind and where it is, with no credential: SQLite's file lives in the data directory. */
  static Map<String, String> store(String jdbcUrl, Path dataDir) {
    if (jdbcUrl == null) return Map.of("kind", "SQLite", "location", dataDir.toAbsolutePath().normalize().toString());
    if (jdbcUrl.startsWith("jdbc:sqlite:")) return Map.of("kind", "SQLite", "location", clean(jdbcUrl.substring("jdbc:sqlite:".length())));
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return Map.of("kind", "PostgreSQL", "location", clean(jdbcUrl));
    return Map.of("kind", "JDBC", "location", clean(jdbcUrl));
  }

  private static String clean(String url) {
    String noQuery = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    int at = noQuery.indexOf('@');
    int slashes = noQuery.indexOf("//");
    return at >= 0 && slashes >= 0 && at > slashes ? noQuery.substring(0, slashes + 2) + noQuery.substring(at + 1) : noQuery;
  }
}
