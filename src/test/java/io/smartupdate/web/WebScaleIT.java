package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page with 10,000 nodes, then 1,000 events/s for 10 s: it must show the last event, and the
 * log gives how long after the last write it did, with the longest frame meanwhile. A figure,
 * not a timed assertion: this machine's speed is not the page's. What is asserted first is that
 * the sender really reached its rate (at least MIN_RATE stored a second): a slower storm would
 * prove nothing about the page, and the test says so instead of passing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS) // load 10,000 + open the page 60 s + storm + follow 60 s, on a loaded box
class WebScaleIT {
  private static final Logger log = LoggerFactory.getLogger(WebScaleIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 10_000;
  private static final int RATE = 1_000;
  private static final int SECONDS = 10;
  /**
   * A quarter of the target: a 2-core CI machine stored 489/s while its own suite ran (one run in
   * two under half), and 250 events a second is still several per frame for the page to follow.
   */
  private static final int MIN_RATE = RATE / 4;

  @Test
  void tenThousandNodesAndAThousandEventsASecondAreFollowed(@TempDir Path dir) throws Exception {
    try (TestServer server = TestServer.start(dir); Chromium chrome = new Chromium(dir.resolve("profile"))) {
      String token = server.token();
      Semaphore window = new Semaphore(64);
      AtomicLong maxId = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

      long loadStart = System.nanoTime();
      for (int i = 0; i < NODES; i++) post(server, token, window, maxId, failures, i, "inventory", 0);
      window.acquire(64);
      window.release(64);
      assertTrue(failures.isEmpty(), "posts failed: " + failures.stream().limit(5).toList());
      log.info("scale: stored {} nodes in {} ms", NODES, ms(loadStart));

      long open = System.nanoTime();
      chrome.driver.get(server.uri(Scheme.HTTP, "/").toString());
      WebPageIT.waitLive(chrome);
      chrome.until(Duration.ofSeconds(60), "all nodes listed", "return document.getElementById('nodes-count').textContent === arguments[0];",
          Integer.toString(NODES));
      log.info("scale: page opened and listed {} nodes in {} ms", NODES, ms(open));
      chrome.js("window.gaps = []; let last = performance.now(); (function f(t) { window.gaps.push(t - last); last = t;"
          + " if (window.gaps.length < 100000) requestAnimationFrame(f); })(last);");

      long stormStart = System.nanoTime();
      int sent = 0;
      int total = RATE * SECONDS;
      while (sent < total) {
        long due = Math.min(total, (System.nanoTime() - stormStart) * RATE / 1_000_000_000L);
        while (sent < due) {
          post(server, token, window, maxId, failures, (int) ((sent * 7919L) % NODES), sent % 2 == 0 ? "downloading" : "flashing",
              sent * 100 / total);
          sent++;
        }
        LockSupport.parkNanos(1_000_000); // pacing the sender, not waiting for an outcome
      }
      window.acquire(64);
      long stored = System.nanoTime();
      window.release(64);
      double seconds = (stored - stormStart) / 1e9;
      assertTrue(failures.isEmpty(), "posts failed: " + failures.stream().limit(5).toList());
      long achieved = Math.round(total / seconds);
      assertTrue(achieved >= MIN_RATE, "the sender reached only " + achieved + " events/s (" + total + " in " + String.format("%.1f", seconds)
          + " s), below " + MIN_RATE + ": the page was not put under the storm this test is about");
      long last = maxId.get();
      new WebDriverWait(chrome.driver, Duration.ofSeconds(60), Duration.ofMillis(10)).withMessage("the last event #" + last)
          .until(d -> Long.parseLong((String) chrome.js("return document.getElementById('last-event').dataset.id;")) >= last);
      long lag = ms(stored);
      @SuppressWarnings("unchecked")
      List<Number> gaps = (List<Number>) chrome.js("return window.gaps.slice(1);");
      double[] sorted = gaps.stream().mapToDouble(Number::doubleValue).sorted().toArray();
      log.info("scale: {} events in {} s ({} /s) over {} nodes; the page showed the last one (#{}) {} ms after it was stored; "
          + "frames meanwhile: {}, p50 {} ms, p99 {} ms, longest {} ms",
          total, String.format("%.1f", seconds), achieved, NODES, last, lag, sorted.length,
          Math.round(sorted[sorted.length / 2]), Math.round(sorted[(int) (sorted.length * 0.99)]), Math.round(sorted[sorted.length - 1]));
      assertEquals(String.valueOf(NODES), chrome.js("return document.getElementById('nodes-count').textContent;"));
      assertTrue((Long) chrome.js("return document.querySelectorAll('#nodes-rows .row').length;") < 100,
          "the table is not windowed: it made a row element per node");
      WebPageIT.assertClean(chrome.console(), false);
      chrome.screenshot(Path.of("target", "web-scale-screenshot.png"));
    }
  }

  private static void post(TestServer server, String token, Semaphore window, AtomicLong maxId, ConcurrentLinkedQueue<String> failures,
      int node, String phase, int progress) throws InterruptedException {
    window.acquire();
    String body = "{\"node\":\"node-" + node + "\",\"phase\":\"" + phase + "\",\"progress\":" + progress
        + ",\"component\":\"bios_u46.bin\",\"message\":\"" + phase + "\"}";
    HttpRequest request = HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/status")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    CompletableFuture<HttpResponse<String>> answer = server.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    answer.whenComplete((response, error) -> {
      try {
        if (error != null) {
          failures.add(error.toString());
        } else if (response.statusCode() != 201) {
          failures.add(response.statusCode() + " " + response.body());
        } else {
          maxId.accumulateAndGet(JSON.readTree(response.body()).get("id").asLong(), Math::max);
        }
      } catch (Exception e) {
        failures.add(e.toString());
      } finally {
        window.release();
      }
    });
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

}
