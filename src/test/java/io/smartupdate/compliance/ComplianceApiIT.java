package io.smartupdate.compliance;

import static io.smartupdate.baseline.Fleet.byName;
import static io.smartupdate.baseline.Fleet.component;
import static io.smartupdate.baseline.Fleet.member;
import static io.smartupdate.baseline.Fleet.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ComplianceApiIT {
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<String> send(ComplianceServer server, String method, String path, Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (body == null) request.method(method, HttpRequest.BodyPublishers.noBody());
    else request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Baseline baseline(String iloVersion) {
    return new Baseline(Baseline.DEFAULT, List.of(component("ilo", iloVersion, byName("^iLO")), component("psu", "1.5", byName("^PSU")),
        component("cpld", "1.0", byName("^CPLD"))));
  }

  @Test
  void complianceRowsAndTheGaugeAgreeAndFollowABaselineChangeAtOnce() throws Exception {
    try (ComplianceServer server = ComplianceServer.start(dir)) {
      server.baselines.put(Baseline.DEFAULT, baseline("3.10"));
      for (NodeInventory node : List.of(node("a", null, member("1", "iLO 5", "3.00"), member("2", "PSU", "1.5")),
          node("b", null, member("1", "iLO 5", "3.10"), member("2", "PSU", "1.6")))) {
        HttpResponse<String> put = send(server, "PUT", "/api/nodes/" + node.node() + "/inventory", node);
        assertEquals(200, put.statusCode(), put.body());
      }
      assertEquals(Map.of("update", 1, "up-to-date", 2, "downgrade", 1, "not-applicable", 2), agreedCounts(server));
      // The baseline changes: the stored inventories are analysed again, no BMC read needed.
      server.baselines.put(Baseline.DEFAULT, baseline("3.20"));
      assertEquals(Map.of("update", 2, "up-to-date", 1, "downgrade", 1, "not-applicable", 2), agreedCounts(server));
    }
  }

  /** The rows of /api/compliance by action, after checking the gauge says the same. */
  private Map<String, Integer> agreedCounts(ComplianceServer server) throws Exception {
    JsonNode compliance = Json.MAPPER.readTree(send(server, "GET", "/api/compliance", null).body());
    Map<String, Integer> rows = new HashMap<>();
    compliance.path("rows").forEach(r -> rows.merge(r.path("action").asText(), 1, Integer::sum));
    Map<String, Integer> gauge = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^smartupdate_components\\{action=\"([a-z-]+)\"} (\\d+)").matcher(send(server, "GET", "/metrics", null).body());
    while (m.find()) if (Double.parseDouble(m.group(2)) > 0) gauge.put(m.group(1), (int) Double.parseDouble(m.group(2)));
    assertEquals(rows, gauge, "the gauge counts the rows of /api/compliance");
    return rows;
  }

  @Test
  void storedInventoryIsServedWithItsAnalysisAndBadRequestsAreNamed() throws Exception {
    try (ComplianceServer server = ComplianceServer.start(dir)) {
      server.baselines.put(Baseline.DEFAULT, baseline("3.10"));
      NodeInventory a = node("ilo5-10.0.0.5", "ProLiant DL380 Gen10", member("1", "iLO 5", "3.00"));
      assertEquals(200, send(server, "PUT", "/api/nodes/ilo5-10.0.0.5/inventory?rewrite=true", a).statusCode());
      JsonNode stored = Json.MAPPER.readTree(send(server, "GET", "/api/nodes/ilo5-10.0.0.5/inventory", null).body());
      assertEquals("ProLiant DL380 Gen10", stored.path("inventory").path("model").asText());
      assertEquals("update", stored.path("findings").path(0).path("action").asText());
      assertEquals("default", stored.path("baseline").asText());
      assertEquals(404, send(server, "GET", "/api/nodes/nobody/inventory", null).statusCode());
      HttpResponse<String> unknown = send(server, "GET", "/api/compliance?baseline=gen11", null);
      assertEquals(404, unknown.statusCode());
      assertEquals("no baseline \"gen11\" in the repository (baselines/gen11.json); GET /api/baselines lists them",
          Json.MAPPER.readTree(unknown.body()).path("detail").asText());
      HttpResponse<String> mismatch = send(server, "PUT", "/api/nodes/other/inventory", a);
      assertEquals(400, mismatch.statusCode());
      assertEquals("invalid_node", Json.MAPPER.readTree(mismatch.body()).path("error").asText());
      HttpResponse<String> noItems = send(server, "PUT", "/api/nodes/x/inventory", Map.of("readAt", "2026-12-06T00:00:00Z"));
      assertEquals("items is missing: send the FirmwareInventory members (may be empty)", Json.MAPPER.readTree(noItems.body()).path("detail").asText());
    }
  }
}
