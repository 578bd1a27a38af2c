package io.smartupdate.downloads;

import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.Query;
import io.smartupdate.http.Routes;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * {@code GET /api/downloads?active=true|false&path=PREFIX&client=ADDR&session=ID}: the record of firmware
 * responses, in flight first. Reads memory only, so it runs on the IO thread.
 *
 * <pre>curl 'http://host:63001/api/downloads?active=true'</pre>
 */
final class DownloadsFeature implements HttpFeature {
  private final DownloadLog downloads;

  DownloadsFeature(DownloadLog downloads) {
    this.downloads = downloads;
  }

  @Override
  public void routing(Routes routes) {
    routes.add("GET", "/api/downloads", this::list);
  }

  private void list(HttpServerExchange exchange) {
    Json.send(exchange, 200, Map.of("downloads", downloads.list(active(exchange), query(exchange, "path"), query(exchange, "client"),
        query(exchange, "session"))));
  }

  private static Boolean active(HttpServerExchange exchange) {
    String value = query(exchange, "active");
    if (value == null) return null;
    if (value.equals("true")) return true;
    if (value.equals("false")) return false;
    throw Problem.BadInput.field("active", "must be true or false, not '" + value + "'");
  }

  private static String query(HttpServerExchange exchange, String name) {
    return Query.first(exchange, name);
  }
}
