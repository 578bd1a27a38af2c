package io.smartupdate.firmware;

import io.smartupdate.baseline.ManifestWriter;
import io.smartupdate.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /api/catalog}: every image with size, SHA-256 and download URL, and for an image a
 * manifest entry describes, that {@code component} and the {@code baselines} holding it (flagged
 * {@code mismatch} when the file is not that component). Runs on a worker thread because it may
 * wait (boundedly) for the hasher to finish a file that just arrived.
 *
 * <pre>curl -s http://host:63001/api/catalog | jq -r '.images[] | "\(.sha256)  \(.path)"'</pre>
 */
final class CatalogHandler implements HttpHandler {
  private final ImageSource repository;
  private final long waitMillis;

  CatalogHandler(ImageSource repository, long waitMillis) {
    this.repository = repository;
    this.waitMillis = waitMillis;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws InterruptedException {
    List<ImageVersion> versions = repository.scan();
    RepositoryManifest.Loaded loaded = repository.manifest().refresh(versions);
    versions = versions.stream().filter(v -> !RepositoryManifest.isManifest(v.path())).toList();
    Map<String, String> shas = digests(repository, versions, waitMillis);
    Map<String, List<RepositoryManifest.Checked>> described = new HashMap<>();
    for (RepositoryManifest.Checked c : repository.manifest().check(loaded, RepositoryManifest.byPath(versions), v -> shas.get(v.path())))
      described.computeIfAbsent(c.component().file(), f -> new ArrayList<>()).add(c);
    String base = exchange.getRequestScheme() + "://" + exchange.getHostAndPort() + FirmwareHandler.PREFIX;
    List<FirmwareImage> images = new ArrayList<>(versions.size());
    for (ImageVersion v : versions) {
      String sha = shas.get(v.path());
      List<RepositoryManifest.Checked> entries = described.getOrDefault(v.path(), List.of());
      // The default baseline's entry describes the file when it has one (it comes first).
      RepositoryManifest.Checked first = entries.isEmpty() ? null : entries.get(0);
      String problem = entries.stream().map(RepositoryManifest.Checked::problem).filter(p -> p != null).findFirst().orElse(null);
      images.add(new FirmwareImage(v.path(), v.size(), sha, v.modified().toString(), base + encodePath(v.path()), sha == null,
          first == null ? null : ManifestWriter.entry(first.component()),
          entries.stream().map(RepositoryManifest.Checked::baseline).distinct().toList(), problem != null, problem));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("images", images);
    if (!loaded.baselines().isEmpty()) body.put("baselines", List.copyOf(loaded.baselines().keySet()));
    Json.send(exchange, 200, body);
  }

  /** The digest of each version, waiting at most {@code waitMillis} in all; a file still hashing is absent. */
  static Map<String, String> digests(ImageSource repository, List<ImageVersion> versions, long waitMillis)
      throws InterruptedException {
    List<CompletableFuture<String>> digests = new ArrayList<>();
    for (ImageVersion version : versions) digests.add(repository.digest(version));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    Map<String, String> shas = new HashMap<>();
    for (int i = 0; i < versions.size(); i++) {
      String sha = await(digests.get(i), deadline);
      if (sha != null) shas.put(versions.get(i).path(), sha);
    }
    return shas;
  }

  private static String await(CompletableFuture<String> digest, long deadline) throws InterruptedException {
    try {
      return digest.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null; // still hashing, or the file changed under the hasher: listed as pending
    }
  }

  static String encodePath(String path) {
    StringBuilder b = new StringBuilder();
    for (String segment : path.split("/")) {
      if (b.length() > 0) b.append('/');
      b.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return b.toString();
  }
}
