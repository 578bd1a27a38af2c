package io.smartupdate.firmware;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.ManifestWriter;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/baselines} (names, files, counts) and {@code GET /api/baselines/NAME} (the
 * components in the manifest's shape, each with {@code mismatch} and the {@code problem} when its
 * file is not that component, or {@code pending} while the file is still being hashed). Blocking:
 * it walks the repository and may wait for digests.
 *
 * <pre>curl -s http://host:63001/api/baselines/default | jq '.components[] | {id, version, mismatch}'</pre>
 */
final class BaselinesHandler implements HttpHandler {
  static final String PATH = "/api/baselines";
  private final ImageSource repository;
  private final long waitMillis;

  BaselinesHandler(ImageSource repository, long waitMillis) {
    this.repository = repository;
    this.waitMillis = waitMillis;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws InterruptedException {
    String name = exchange.getRelativePath().startsWith(PATH + "/") ? exchange.getRelativePath().substring(PATH.length() + 1) : "";
    List<ImageVersion> versions = repository.scan();
    RepositoryManifest manifest = repository.manifest();
    RepositoryManifest.Loaded loaded = manifest.refresh(versions);
    if (name.isEmpty()) {
      List<Map<String, Object>> list = new ArrayList<>();
      loaded.baselines().forEach((n, b) -> {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", n);
        item.put("file", loaded.files().get(n));
        item.put("components", b.components().size());
        list.add(item);
      });
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("baselines", list);
      if (manifest.reloadError() != null) body.put("reloadError", manifest.reloadError());
      Json.send(exchange, 200, body);
      return;
    }
    Baseline baseline = loaded.baselines().get(name);
    if (baseline == null)
      throw new Problem.NotFound("no baseline \"" + name + "\" in the repository; GET " + PATH + " lists them");
    Map<String, String> shas = CatalogHandler.digests(repository,
        versions.stream().filter(v -> baseline.components().stream().anyMatch(c -> c.file().equals(v.path()))).toList(), waitMillis);
    RepositoryManifest.Loaded one = new RepositoryManifest.Loaded(Map.of(name, baseline), loaded.files(), loaded.read());
    List<ObjectNode> components = new ArrayList<>();
    for (RepositoryManifest.Checked c : manifest.check(one, RepositoryManifest.byPath(versions), v -> shas.get(v.path()))) {
      ObjectNode entry = ManifestWriter.entry(c.component());
      entry.put("mismatch", c.problem() != null);
      if (c.problem() != null) entry.put("problem", c.problem());
      if (c.pending()) entry.put("pending", true);
      components.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("file", loaded.files().get(name));
    body.put("components", components);
    Json.send(exchange, 200, body);
  }
}
