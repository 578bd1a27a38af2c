package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden compliance report (src/test/resources/reports/compliance.html) in Chromium: what a
 * person reads, nothing fetched, and its print layout. Saved as {@code target/report.png}; with
 * {@code -Dreport.screenshot=docs/report.png} also copied there (docs/baselines.md "Reports").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportScreenshotIT {
  @Test
  void htmlReportReadsWellFetchesNothingAndPrints(@TempDir Path dir) throws Exception {
    Path report = Path.of("src/test/resources/reports/compliance.html").toAbsolutePath();
    try (Chromium chrome = new Chromium(dir.resolve("profile"))) {
      chrome.driver.get(report.toUri().toString());
      assertEquals("Compliance against baseline gen10", chrome.js("return document.querySelector('h1').innerText;"));
      assertEquals("5 nodes, 1 complying, 2 needing updates, 1 blocked, 1 unknown", chrome.js(
          "return [...document.querySelectorAll('.card')].map(c => c.querySelector('b').innerText + ' ' + c.querySelector('span').innerText).join(', ');"));
      assertEquals("ilo-10.0.0.12 ilo ilo firmware 3.00 3.10 update installed 3.00 is older than 3.10", chrome.js(
          "return [...document.querySelectorAll('tr.fail')[1].cells].map(c => c.innerText).join(' ');"));
      assertEquals(0L, chrome.js("return performance.getEntriesByType('resource').length;"), "a self-contained report fetches nothing");
      chrome.screenshot(Path.of("target", "report.png"));

      chrome.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print", "features", List.of()));
      assertEquals("table-header-group rgba(0, 0, 0, 0)", chrome.js("return getComputedStyle(document.querySelector('thead')).display + ' '"
          + " + getComputedStyle(document.querySelector('.outcome')).backgroundColor;"), "printed: the header repeats on each page, labels in ink only");
      WebPageIT.assertClean(chrome.console(), false);
    }
    String copy = System.getProperty("report.screenshot");
    if (copy != null && !copy.isBlank()) Files.copy(Path.of("target", "report.png"), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(Path.of("target", "report.png")) > 10_000, "the screenshot is empty");
  }
}
