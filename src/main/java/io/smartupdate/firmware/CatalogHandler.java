package io.smartupdate.firmware;

import io.smartupdate.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /api/catalog}: every image with size, SHA-256 and download URL. Runs on a worker
 * thread because it may wait (boundedly) for the hasher to finish a file that just arrived.
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
    List<CompletableFuture<String>> digests = new ArrayList<>();
    for (ImageVersion version : versions) digests.add(repository.digest(version));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    String base = exchange.getRequestScheme() + "://" + exchange.getHostAndPort() + FirmwareHandler.PREFIX;
    List<FirmwareImage> images = new ArrayList<>(versions.size());
    for (int i = 0; i < versions.size(); i++) {
      ImageVersion v = versions.get(i);
      String sha = await(digests.get(i), deadline);
      images.add(new FirmwareImage(v.path(), v.size(), sha, v.modified().toString(), base + encodePath(v.path()), sha == null));
    }
    Json.send(exchange, 200, Map.of("images", images));
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
