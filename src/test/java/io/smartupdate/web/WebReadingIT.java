package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestClock;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page read as a person reads it: the text on screen, not the data behind it. A node
 * silent for three minutes is flagged stale, downloads say how they ended, one in flight gives
 * its rate and ETA, the catalog shows each image's sha-256, and the write token is nowhere in
 * the page.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebReadingIT {
  private static final Duration WAIT = WebPageIT.WAIT;
  private static final int IMAGE = 300_000;
  @TempDir Path dir;

  @Test
  void thePageSaysWhatAPersonNeedsAndNeverShowsTheToken() throws Exception {
    TestClock clock = new TestClock(Instant.now());
    try (TestServer server = TestServer.start(dir, clock, c -> {}); Chromium chrome = new Chromium(dir.resolve("profile"))) {
      byte[] image = Samples.write(server.repo().resolve("hpe/ilo5_310.bin"), IMAGE, 310);
      WebPageIT.sparse(server.repo().resolve("big.bin"), 256L << 20);
      assertEquals(201, server.post(Scheme.HTTPS, "/api/status", "{\"node\":\"bmc-quiet\",\"phase\":\"flashing\",\"progress\":40}")
          .statusCode());
      assertEquals(201, server.post(Scheme.HTTPS, "/api/status", "{\"node\":\"bmc-done\",\"phase\":\"complete\"}").statusCode());
      // Three minutes pass on the server's clock with no word from either node: only the unfinished one is stale.
      clock.advance(Duration.ofMinutes(3));

      assertEquals(IMAGE, server.get(Scheme.HTTPS, "/firmware/hpe/ilo5_310.bin").body().length);
      try (Socket cut = SlowReader.get(server.port(Scheme.HTTP), 16 * 1024, 10_000, null, "/firmware/big.bin")) {
        cut.getInputStream().readNBytes(64 * 1024); // then hangs up mid-body
      }
      try (SlowDownload inFlight = new SlowDownload(server, Scheme.HTTPS, "/firmware/big.bin")) {
        inFlight.read(1 << 20);
        chrome.driver.get(server.uri(Scheme.HTTPS, "/").toString());
        WebPageIT.waitLive(chrome);

        chrome.until(WAIT, "the stale count in the summary", "return [...document.querySelectorAll('#phase-summary .badge')]"
            + ".some(b => b.textContent === 'stale 1');");
        assertEquals("stale", chrome.js("const r = [...document.querySelectorAll('#nodes-rows .row')].find(x => x.dataset.node === 'bmc-quiet');"
            + "return r.classList.contains('stale') ? getComputedStyle(r.querySelector('.age'), '::after').content.replace(/[\" ]/g, '') : 'fresh';"),
            "the silent node's row says stale");
        assertEquals(Boolean.FALSE, chrome.js("return [...document.querySelectorAll('#nodes-rows .row')].find(x => x.dataset.node === 'bmc-done')"
            + ".classList.contains('stale');"), "a finished node is never stale");

        chrome.until(WAIT, "the finished downloads' labels", "const labels = [...document.querySelectorAll('#downloads-recent .download .badge')]"
            + ".map(b => b.textContent); return labels.includes('complete') && labels.includes('cut by client');");
        String complete = (String) chrome.js("return [...document.querySelectorAll('#downloads-recent .download')]"
            + ".find(d => d.querySelector('.badge').textContent === 'complete').innerText;");
        assertTrue(complete.contains("hpe/ilo5_310.bin") && complete.matches("(?s).*\\d+(\\.\\d+)? (B|KiB|MiB|GiB|TiB)/s, took .*"),
            "a finished download gives its path, rate and time: " + complete);

        // The one in flight: moving, with a rate and an ETA in figures (not "ETA ?").
        for (int i = 0; i < 20; i++) inFlight.read(256 * 1024);
        chrome.until(WAIT, "the download in flight with its rate and ETA", "const d = [...document.querySelectorAll('#downloads-active .download')]"
            + ".find(x => x.querySelector('.badge').textContent === 'in flight');"
            + "return !!d && /\\d+(\\.\\d+)? (B|KiB|MiB|GiB|TiB)\\/s, ETA \\d/.test(d.innerText);");

        chrome.until(WAIT, "the catalog", "return document.getElementById('cat-count').textContent === '2';");
        String shown = (String) chrome.js("return [...document.querySelectorAll('#catalog .item')]"
            + ".find(i => i.querySelector('a').textContent === 'hpe/ilo5_310.bin').querySelector('code').textContent;");
        assertEquals(Samples.sha256(image), shown, "the catalog shows the image's sha-256");

        String token = server.token();
        for (String where : List.of("document.documentElement.outerHTML", "document.cookie", "JSON.stringify(localStorage)",
            "JSON.stringify(sessionStorage)", "location.href", "document.title")) {
          String text = String.valueOf(chrome.js("return " + where + ";"));
          assertFalse(text.contains(token) || text.contains(token.substring(0, 16)), "the write token is in " + where);
        }
      }
      WebPageIT.assertClean(chrome.console(), false);
    }
  }
}
