package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's compliance panel on the sample repository's baseline: the fleet summary, a badge per
 * node and the drill-down a person reads, agreeing with /api/compliance and the gauge, and following
 * a node's new inventory without a reload.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebComplianceIT {
  private static final String SUMMARY = "[...document.querySelectorAll('#cmp-summary .chip')].map(c => c.textContent).join(', ')";
  private static final String BADGES = "return [...document.querySelectorAll('#compliance .node-cmp')]"
      + ".map(d => d.dataset.node + ': ' + d.querySelector('.badge').textContent).join('; ');";

  private static String inventory(String iloVersion, String romVersion) {
    String version = iloVersion == null ? "" : ",\"version\":\"" + iloVersion + "\"";
    return "{\"model\":\"ProLiant DL380 Gen10\",\"readAt\":\"2026-12-06T23:00:00Z\",\"items\":[{\"id\":\"1\",\"name\":\"iLO 5\",\"updateable\":true"
        + version + "},{\"id\":\"2\",\"name\":\"System ROM\",\"version\":\"" + romVersion + "\",\"updateable\":true}]}";
  }

  @Test
  void summaryBadgesAndDrillDownAgreeWithTheApiAndTheGaugeAndFollowANewInventory(@TempDir Path dir) throws Exception {
    WebScreenshotIT.copyTree(Path.of("firmware-samples"), Files.createDirectories(dir.resolve("repo")));
    try (TestServer server = TestServer.start(dir); Chromium chrome = new Chromium(dir.resolve("profile"))) {
      store(server, "ilo-10.0.0.11", inventory("3.00", "U46 v2.90 (03/15/2026)"));   // one update
      store(server, "ilo-10.0.0.12", inventory("3.10", "U46 v2.90 (03/15/2026)"));   // complies
      store(server, "ilo-10.0.0.13", inventory("2.00", "U46 v2.90 (03/15/2026)"));   // below the minimum active 2.10: blocked
      store(server, "ilo-10.0.0.14", inventory(null, "U46 v2.90 (03/15/2026)"));     // no version: unknown
      chrome.driver.get(server.uri(Scheme.HTTPS, "/").toString());
      WebPageIT.waitLive(chrome);
      chrome.until(WebPageIT.WAIT, "the fleet summary", "return " + SUMMARY + " === arguments[0];",
          "4 nodes, 1 complying, 1 needing updates, 1 blocked, 1 unknown");
      assertEquals("ilo-10.0.0.11: 1 update; ilo-10.0.0.12: complies; ilo-10.0.0.13: blocked; ilo-10.0.0.14: unknown", chrome.js(BADGES));
      assertEquals("baseline default", chrome.js("return document.getElementById('cmp-baseline').textContent;"));

      chrome.js("document.querySelector('.node-cmp[data-node=\"ilo-10.0.0.11\"] summary').click();");
      assertEquals("hpe-ilo5 3.00 3.10 update | installed 3.00 is older than 3.10", chrome.js(
          "const d = document.querySelector('.node-cmp[data-node=\"ilo-10.0.0.11\"]');"
          + "if (!d.open) return 'closed';"
          + "const row = d.querySelector('tr[data-component=\"hpe-ilo5\"]');"
          + "return [...row.cells].map(c => c.innerText).join(' ') + ' | ' + row.nextElementSibling.innerText;"));
      chrome.screenshot(Path.of("target", "web-compliance.png"));
      assertEquals(apiCounts(server), pageCounts(chrome), "the page's rows are /api/compliance's");
      assertEquals(apiCounts(server), gaugeCounts(server), "the gauge counts /api/compliance's rows");

      // analyze stores a new inventory after the update and the node posts its status: the page follows, no reload.
      store(server, "ilo-10.0.0.11", inventory("3.10", "U46 v2.90 (03/15/2026)"));
      assertEquals(201, server.post(Scheme.HTTPS, "/api/status", "{\"node\":\"ilo-10.0.0.11\",\"phase\":\"complete\",\"progress\":100}").statusCode());
      chrome.until(WebPageIT.WAIT, "ilo-10.0.0.11 to comply", "return " + SUMMARY + " === arguments[0];",
          "4 nodes, 2 complying, 0 needing updates, 1 blocked, 1 unknown");
      assertEquals(true, chrome.js("return document.querySelector('.node-cmp[data-node=\"ilo-10.0.0.11\"]').open;"), "the opened node stays open");
      assertEquals(apiCounts(server), pageCounts(chrome));
      assertEquals(apiCounts(server), gaugeCounts(server));
      WebPageIT.assertClean(chrome.console(), false);
    }
  }

  private static void store(TestServer server, String node, String inventory) throws Exception {
    var put = server.put(Scheme.HTTPS, "/api/nodes/" + node + "/inventory", inventory);
    assertEquals(200, put.statusCode(), put.body());
  }

  private static Map<String, Integer> apiCounts(TestServer server) throws Exception {
    JsonNode body = Json.MAPPER.readTree(server.getString(Scheme.HTTPS, "/api/compliance").body());
    Map<String, Integer> counts = new TreeMap<>();
    body.path("rows").forEach(r -> counts.merge(r.path("action").asText(), 1, Integer::sum));
    return counts;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> pageCounts(Chromium chrome) {
    Map<String, Object> raw = (Map<String, Object>) chrome.js("const c = {}; document.querySelectorAll('#compliance tr[data-component]')"
        + ".forEach(r => { const a = r.cells[3].textContent; c[a] = (c[a] || 0) + 1; }); return c;");
    Map<String, Integer> counts = new TreeMap<>();
    raw.forEach((k, v) -> counts.put(k, ((Number) v).intValue()));
    return counts;
  }

  private static Map<String, Integer> gaugeCounts(TestServer server) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^smartupdate_components\\{action=\"([a-z-]+)\"} (\\d+)").matcher(server.getString(Scheme.HTTP, "/metrics").body());
    while (m.find()) if (Integer.parseInt(m.group(2)) > 0) counts.put(m.group(1), Integer.parseInt(m.group(2)));
    return counts;
  }
}
