package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live page in a real headless Chromium, over HTTP and HTTPS, against a real server. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WebPageIT {
  private static final Logger log = LoggerFactory.getLogger(WebPageIT.class);
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final long BIG = 48L << 20;
  private static final String ROW = "const r = [...document.querySelectorAll('#nodes-rows .row')]"
      + ".find(x => !x.hidden && x.dataset.node === arguments[0]);";
  private static final String DOWNLOAD = "const d = [...document.querySelectorAll('.download')]"
      + ".find(x => x.dataset.path === arguments[0]);";

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void pageFollowsStatusDownloadsAndARestartWithoutReload(Scheme scheme, @TempDir Path dir) throws Exception {
    sparse(Files.createDirectories(dir.resolve("repo")).resolve("big.bin"), BIG);
    TestServer server = TestServer.start(dir);
    try (Chromium chrome = new Chromium(dir.resolve("profile"))) {
      checkHeaders(server, scheme);
      chrome.driver.get(server.uri(scheme, "/").toString());
      chrome.js("window.sameDocument = true; console.warn('web-it: console captured');"); // gone if the page ever reloads
      waitLive(chrome);
      chrome.until(WAIT, "the header", "return document.getElementById('fingerprint').textContent === arguments[0]"
          + " && document.getElementById('ports').textContent.includes('https ' + arguments[1])"
          + " && document.getElementById('store').textContent === 'SQLite'"
          + " && document.getElementById('repository').textContent === arguments[2];",
          server.server().fingerprint(), server.server().httpsPort(), server.repo().toAbsolutePath().normalize().toString());

      server.post(scheme, "/api/status", status("bmc-1", "downloading", 10));
      waitProgress(chrome, "bmc-1", 10);
      server.post(scheme, "/api/status", status("bmc-1", "flashing", 60));
      waitProgress(chrome, "bmc-1", 60);
      chrome.until(WAIT, "phase badge flashing", ROW + "return !!r && r.querySelector('.badge').textContent === 'flashing';", "bmc-1");
      server.post(scheme, "/api/status", status("bmc-0", "failed", 5));
      filterSortAndHistory(chrome);

      try (SlowDownload download = new SlowDownload(server, scheme, "/firmware/big.bin")) {
        download.read(64 * 1024);
        chrome.until(WAIT, "the download in flight", DOWNLOAD + "return !!d && d.dataset.result === 'in_flight';", "/firmware/big.bin");
        long first = sent(chrome);
        assertTrue(first < BIG, "the server had already sent all of it: the download was not throttled");
        download.read(8L << 20);
        chrome.until(WAIT, "the byte count to grow past " + first,
            DOWNLOAD + "return !!d && d.dataset.result === 'in_flight' && Number(d.dataset.sent) > arguments[1];",
            "/firmware/big.bin", first);
        download.readToEnd();
        chrome.until(WAIT, "the download to end as complete", DOWNLOAD + "return !!d && d.dataset.result === 'complete'"
            + " && Number(d.dataset.sent) === arguments[1];", "/firmware/big.bin", BIG);
      }
      List<LogEntry> before = chrome.console();
      assertTrue(before.stream().anyMatch(e -> e.getMessage().contains("web-it: console captured")),
          "the console log is not captured, so its silence would prove nothing: " + before);
      assertClean(before, false);

      int http = server.server().httpPort();
      int https = server.server().httpsPort();
      server.close();
      chrome.until(WAIT, "the reconnecting indicator", "return document.getElementById('live').classList.contains('reconnecting');");
      // The page keeps trying while the server is away: a refused reconnect of the stream shows in the console.
      List<LogEntry> whileDown = new ArrayList<>();
      new WebDriverWait(chrome.driver, WAIT).withMessage("a refused reconnect of /api/events").until(d -> {
        whileDown.addAll(chrome.console());
        return whileDown.stream().anyMatch(e -> e.getMessage().contains("/api/events") && e.getMessage().contains("ERR_CONNECTION_REFUSED"));
      });
      assertEquals(Boolean.TRUE, chrome.js("return document.getElementById('live').classList.contains('reconnecting');"));
      server = TestServer.start(dir, b -> b.httpPort(http).httpsPort(https).strictPorts(true));
      // Stored while the page may still be away: it arrives either live or by Last-Event-ID.
      server.post(scheme, "/api/status", status("bmc-2", "complete", 100));
      waitLive(chrome);
      waitProgress(chrome, "bmc-2", 100);
      server.post(scheme, "/api/status", status("bmc-1", "complete", 100));
      waitProgress(chrome, "bmc-1", 100);
      assertEquals(Boolean.TRUE, chrome.js("return window.sameDocument === true;"), "the page reloaded");
      whileDown.addAll(chrome.console());
      assertClean(whileDown, true);
      chrome.screenshot(Path.of("target", "web-screenshot-" + scheme.name().toLowerCase() + ".png"));
    } finally {
      server.close();
    }
  }

  @Test
  void pageResumesAfterTheLastEventItSawWhenItComesBack(@TempDir Path dir) throws Exception {
    try (TestServer server = TestServer.start(dir); CuttableProxy proxy = new CuttableProxy(server.port(Scheme.HTTP));
        Chromium chrome = new Chromium(dir.resolve("profile"))) {
      server.post(Scheme.HTTP, "/api/status", status("bmc-1", "downloading", 10));
      chrome.driver.get("http://127.0.0.1:" + proxy.port() + "/");
      waitLive(chrome);
      server.post(Scheme.HTTP, "/api/status", status("bmc-1", "flashing", 50)); // seen live: the stream's last id
      waitProgress(chrome, "bmc-1", 50);
      proxy.cut();
      chrome.until(WAIT, "the reconnecting indicator", "return document.getElementById('live').classList.contains('reconnecting');");
      // Stored while the page is cut off: only a resumed stream brings them (a reconnect reloads no node snapshot).
      server.post(Scheme.HTTP, "/api/status", status("bmc-2", "verifying", 70));
      server.post(Scheme.HTTP, "/api/status", status("bmc-1", "complete", 100));
      proxy.restore();
      waitLive(chrome);
      waitProgress(chrome, "bmc-2", 70);
      waitProgress(chrome, "bmc-1", 100);
      chrome.until(WAIT, "the last event id", "return document.getElementById('last-event').dataset.id === '4';");
      rows(chrome, "bmc-1,bmc-2");
    }
  }

  /** The table filters by text and phase, sorts by a column both ways, and a click opens the node's history. */
  private static void filterSortAndHistory(Chromium chrome) {
    rows(chrome, "bmc-0,bmc-1");
    chrome.driver.findElement(By.id("filter-text")).sendKeys("bmc-1");
    rows(chrome, "bmc-1");
    assertEquals("1 of 2", chrome.driver.findElement(By.id("nodes-count")).getText());
    chrome.driver.findElement(By.id("filter-text")).clear();
    new Select(chrome.driver.findElement(By.id("filter-phase"))).selectByVisibleText("failed");
    rows(chrome, "bmc-0");
    new Select(chrome.driver.findElement(By.id("filter-phase"))).selectByVisibleText("all phases");
    rows(chrome, "bmc-0,bmc-1");
    WebElement progress = chrome.driver.findElement(By.cssSelector("[data-sort=progress]"));
    progress.click();
    rows(chrome, "bmc-0,bmc-1");
    progress.click();
    rows(chrome, "bmc-1,bmc-0");
    chrome.driver.findElement(By.cssSelector("[data-sort=node]")).click();
    rows(chrome, "bmc-0,bmc-1");
    chrome.driver.findElement(By.cssSelector("#nodes-rows .row[data-node='bmc-1']")).click();
    chrome.until(WAIT, "the history of bmc-1", "const h = document.getElementById('history');"
        + "return !h.hidden && h.textContent.includes('History of bmc-1') && h.querySelectorAll('.item').length === 2"
        + " && h.textContent.includes('downloading 10%') && h.textContent.includes('flashing 60%');");
    chrome.driver.findElement(By.id("history-close")).click();
    chrome.until(WAIT, "the history closed", "return document.getElementById('history').hidden;");
  }

  private static void rows(Chromium chrome, String nodes) {
    chrome.until(WAIT, "rows " + nodes, "return [...document.querySelectorAll('#nodes-rows .row')].filter(x => !x.hidden)"
        + ".map(x => x.dataset.node).join(',') === arguments[0];", nodes);
  }

  private static void checkHeaders(TestServer server, Scheme scheme) throws Exception {
    HttpResponse<String> page = server.getString(scheme, "/");
    assertEquals(200, page.statusCode());
    assertSecure(page);
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
    Matcher script = Pattern.compile("src=\"(/ui/app\\.js\\?v=[0-9a-f]+)\"").matcher(page.body());
    assertTrue(script.find(), "the page names its versioned script: " + page.body());
    assertTrue(!page.body().contains("<script>") && !page.body().contains("style="), "inline script or style in the page");
    HttpResponse<String> asset = server.getString(scheme, script.group(1));
    assertEquals(200, asset.statusCode());
    assertSecure(asset);
    assertTrue(asset.headers().firstValue("Cache-Control").orElse("").contains("immutable"), asset.headers().toString());
    assertTrue(asset.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), asset.headers().toString());
    HttpResponse<Void> head = server.head(scheme, "/");
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(page.body().getBytes(StandardCharsets.UTF_8).length),
        head.headers().firstValue("Content-Length").orElse(""));
    assertSecure(head);
    String etag = page.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = server.getString(scheme, "/", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertSecure(again);
    HttpResponse<String> missing = server.getString(scheme, "/ui/nothing.js");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("\"error\":\"not_found\""), missing.body());
    assertSecure(missing);
  }

  private static void assertSecure(HttpResponse<?> response) {
    assertEquals(WebFeature.CSP, response.headers().firstValue("Content-Security-Policy").orElse(""), response.uri().toString());
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""));
  }

  /**
   * No console error and no CSP report. While the server is down (a restart) the browser does log
   * its refused reconnects and fetches, naming the network error; those alone are allowed then.
   */
  static void assertClean(List<LogEntry> entries, boolean serverWasDown) {
    for (LogEntry entry : entries) {
      String message = entry.getMessage();
      log.info("browser console: {} {}", entry.getLevel(), message);
      assertTrue(!message.contains("Content Security Policy") && !message.contains("Content-Security-Policy"), "CSP violation: " + message);
      if (entry.getLevel().intValue() < Level.SEVERE.intValue()) continue;
      boolean expected = serverWasDown && message.matches("(?s).*/api/.*net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE"
          + "|INCOMPLETE_CHUNKED_ENCODING|CONNECTION_CLOSED).*");
      assertTrue(expected, "console error: " + message);
    }
  }

  static void waitLive(Chromium chrome) {
    chrome.until(WAIT, "the live indicator", "return document.getElementById('live').classList.contains('open');");
  }

  private static void waitProgress(Chromium chrome, String node, int progress) {
    chrome.until(WAIT, node + " at " + progress + "%", ROW + "return !!r && r.querySelector('[role=progressbar]')"
        + ".getAttribute('aria-valuenow') === String(arguments[1]);", node, progress);
  }

  private static long sent(Chromium chrome) {
    return ((Number) chrome.js(DOWNLOAD + "return Number(d.dataset.sent);", "/firmware/big.bin")).longValue();
  }

  static String status(String node, String phase, int progress) {
    return "{\"node\":\"" + node + "\",\"phase\":\"" + phase + "\",\"progress\":" + progress
        + ",\"component\":\"ilo5_310.bin\",\"message\":\"" + phase + " " + progress + "%\"}";
  }

  static void sparse(Path file, long size) throws Exception {
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(size);
    }
  }
}
