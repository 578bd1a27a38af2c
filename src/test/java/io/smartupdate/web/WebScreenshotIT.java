package io.smartupdate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's picture of the page: a small fleet mid-update over HTTPS, with a download in
 * flight, recent ones, a hand-off session and the sample catalog. Saved as
 * {@code target/web.png} and {@code target/web-dark.png}; with {@code -Dweb.screenshot=docs/web.png}
 * the light one is also copied there (README "Web view").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebScreenshotIT {
  private static final Logger log = LoggerFactory.getLogger(WebScreenshotIT.class);
  private static final String BIG = "hpe/ilo6_1.64.bin";

  @Test
  void pageShowsAFleetMidUpdate(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    copyTree(Path.of("firmware-samples"), repo);
    WebPageIT.sparse(repo.resolve(BIG), 96L << 20);
    try (TestServer server = TestServer.start(dir); Chromium chrome = new Chromium(dir.resolve("profile"))) {
      String[][] fleet = {
          {"ilo-10.0.0.11", "complete", "100", "ilo5_310.bin", "iLO 5 v3.10 active after reset"},
          {"ilo-10.0.0.12", "flashing", "64", "ilo5_310.bin", "Flashing iLO firmware"},
          {"ilo-10.0.0.13", "downloading", "37", "ilo6_1.64.bin", "ImageURI fetched over HTTPS"},
          {"ilo-10.0.0.14", "verifying", "90", "U46_2.90_03_15_2026.signed.flash", "Checking the signature"},
          {"ilo-10.0.0.15", "rebooting", "100", "U46_2.90_03_15_2026.signed.flash", "System ROM staged; host reboot"},
          {"ilo-10.0.0.16", "failed", "12", "ilo5_310.bin", "TaskState Exception: image rejected (wrong model)"},
          {"idrac-10.0.1.21", "downloading", "71", "iDRAC-with-Lifecycle-Controller_Firmware_7.10.30.00_A00.EXE", "Job JID_842 downloading"},
          {"idrac-10.0.1.22", "complete", "100", "iDRAC-with-Lifecycle-Controller_Firmware_7.10.30.00_A00.EXE", "Job JID_843 completed"},
          {"idrac-10.0.1.23", "inventory", null, null, "FirmwareInventory read: 14 components"},
          {"obmc-10.0.2.31", "flashing", "45", "obmc-phosphor-image-2.16.0.static.mtd.tar", "Activation in progress"},
          {"obmc-10.0.2.32", "complete", "100", "obmc-phosphor-image-2.16.0.static.mtd.tar", "Activation complete"},
          {"esx-10.0.3.41", "downloading", "18", "bcm235.1.162.0.pldm.fwpkg", "NIC firmware package"},
          {"esx-10.0.3.42", "info", null, null, "Maintenance mode entered"},
          {"linux-10.0.4.51", "verifying", "99", "bcm235.1.162.0.pldm.fwpkg", "PLDM package verified"},
      };
      for (String[] n : fleet) {
        String progress = n[2] == null ? "" : ",\"progress\":" + n[2];
        String component = n[3] == null ? "" : ",\"component\":\"" + n[3] + "\"";
        assertEquals(201, server.post(Scheme.HTTPS, "/api/status", "{\"node\":\"" + n[0] + "\",\"phase\":\"" + n[1] + "\"" + progress
            + component + ",\"message\":\"" + n[4] + "\"}").statusCode());
      }
      assertEquals(201, server.post(Scheme.HTTPS, "/api/handoff", "{\"scheme\":\"https\",\"node\":\"ilo-10.0.0.13\"}").statusCode());
      for (String path : List.of("/firmware/hpe/ilo5_310.bin", "/firmware/openbmc/obmc-phosphor-image-2.16.0.static.mtd.tar",
          "/firmware/nic/bcm235.1.162.0.pldm.fwpkg")) {
        assertEquals(200, server.get(Scheme.HTTPS, path).statusCode());
      }
      try (SlowDownload cut = new SlowDownload(server, Scheme.HTTP, "/firmware/" + BIG)) {
        cut.read(3 << 20); // then gone: cut by the client
      }

      AtomicBoolean reading = new AtomicBoolean(true);
      try (SlowDownload download = new SlowDownload(server, Scheme.HTTPS, "/firmware/" + BIG)) {
        download.read(30 << 20);
        Thread reader = new Thread(() -> {
          try {
            while (reading.get()) {
              download.read(256 << 10);
              Thread.sleep(40); // a BMC's pace (about 6 MiB/s), so the page shows a rate and an ETA
            }
          } catch (Exception e) {
            // the test closed the socket
          }
        });
        reader.setDaemon(true);
        reader.start();
        chrome.driver.get(server.uri(Scheme.HTTPS, "/").toString());
        WebPageIT.waitLive(chrome);
        chrome.until(WebPageIT.WAIT, "the fleet listed", "return document.getElementById('nodes-count').textContent === arguments[0];",
            Integer.toString(fleet.length));
        chrome.until(WebPageIT.WAIT, "a download in flight with its ETA", "return [...document.querySelectorAll('#downloads-active"
            + " .download')].some(d => d.textContent.includes('ETA') && !d.textContent.includes('ETA ?'));");
        chrome.until(WebPageIT.WAIT, "the recent downloads", "return document.querySelectorAll('#downloads-recent .download').length === 4;");
        chrome.until(WebPageIT.WAIT, "the hand-off session", "return document.querySelectorAll('#handoff .item').length === 1;");
        chrome.until(WebPageIT.WAIT, "the catalog", "return document.getElementById('cat-count').textContent === '6';");
        chrome.screenshot(Path.of("target", "web.png"));
        // What a person sees: the page's own colours (app.css --bg and --fg), light, then dark once the system asks for it.
        assertEquals("rgb(246, 247, 249) rgb(28, 36, 48)", chrome.js("return " + PAGE_COLOURS + ";"), "the light scheme's background and text");
        chrome.driver.executeCdpCommand("Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        chrome.until(WebPageIT.WAIT, "the page's dark colours", "return (" + PAGE_COLOURS + ") === 'rgb(15, 20, 25) rgb(223, 230, 238)';");
        chrome.screenshot(Path.of("target", "web-dark.png"));
        reading.set(false);
      }
      WebPageIT.assertClean(chrome.console(), false);
      String copy = System.getProperty("web.screenshot");
      if (copy != null && !copy.isBlank()) {
        Files.copy(Path.of("target", "web.png"), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        log.info("web view screenshot copied to {}", copy);
      }
      assertTrue(Files.size(Path.of("target", "web.png")) > 10_000, "the screenshot is empty");
    }
  }

  /** The body's background and text colours as the browser computed them. */
  private static final String PAGE_COLOURS = "getComputedStyle(document.body).backgroundColor + ' ' + getComputedStyle(document.body).color";

  /** Copies {@code from} into {@code to}, directories and files. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) Files.createDirectories(target);
        else Files.copy(file, target);
      }
    }
  }
}
