package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smartupdate.http.Json;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The page's deploy runs panel lists /api/deploys and follows a run's progress, and its owner's lease, without a reload. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebRunsIT {
  private static final String RUN = "return [...document.querySelectorAll('#runs .item')].map(i => i.innerText.replace(/\\s+/g, ' ')).join('; ');";

  @Test
  void theRunsPanelShowsEachRunAndItsStepsByState(@TempDir Path dir) throws Exception {
    try (TestServer server = TestServer.start(dir); Chromium chrome = new Chromium(dir.resolve("profile"))) {
      String plan = "{\"image\":\"hpe/ilo5_310.bin\",\"steps\":[{\"node\":\"ilo5-10.0.0.5\",\"step\":0,\"bmc\":\"10.0.0.5\",\"file\":\"hpe/ilo5_310.bin\"},"
          + "{\"node\":\"ilo5-10.0.0.6\",\"step\":0,\"bmc\":\"10.0.0.6\",\"file\":\"hpe/ilo5_310.bin\"}]}";
      String id = Json.MAPPER.readTree(server.post(Scheme.HTTPS, "/api/deploys", plan).body()).path("id").asText();
      chrome.driver.get(server.uri(Scheme.HTTPS, "/").toString());
      WebPageIT.waitLive(chrome);
      chrome.until(WebPageIT.WAIT, "the run listed", RUN.replace("join('; ');", "join('; ') === arguments[0];"),
          id + " hpe/ilo5_310.bin running 2 nodes: 2 pending");
      server.put(Scheme.HTTPS, "/api/deploys/" + id + "/nodes/ilo5-10.0.0.5/steps/0", "{\"state\":\"flashing\"}");
      chrome.until(WebPageIT.WAIT, "the run's progress", RUN.replace("join('; ');", "join('; ') === arguments[0];"),
          id + " hpe/ilo5_310.bin running 2 nodes: 1 flashing, 1 pending");
      assertEquals("1", chrome.js("return document.getElementById('runs-count').textContent;"));

      String owned = plan.replace("{\"image\":", "{\"owner\":\"mgmt-a:41:aa\",\"leaseSeconds\":1,\"image\":");
      String orphan = Json.MAPPER.readTree(server.post(Scheme.HTTPS, "/api/deploys", owned).body()).path("id").asText();
      chrome.until(WebPageIT.WAIT, "a run whose owner stopped renewing shows orphaned", RUN.replace("join('; ');", "join('; ').includes(arguments[0]);"),
          orphan + " hpe/ilo5_310.bin orphaned 2 nodes: 2 pending; owner mgmt-a:41:aa gone, deploy --resume " + orphan + " takes it over");
      WebPageIT.assertClean(chrome.console(), false);
    }
  }
}
