package io.smartupdate.web;

import io.smartupdate.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its chromedriver, both named by path so Selenium Manager
 * never looks for a browser on the network; a fresh profile per test, console log kept.
 */
final class Chromium implements AutoCloseable {
  /** Held so it is not collected: Selenium warns at each start that it has no CDP bindings, which the tests do not use. */
  private static final Logger CDP_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
  final ChromeDriver driver;

  Chromium(Path profile) {
    Path browser = Tools.require("chromium");
    Path chromedriver = Tools.require("chromedriver");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1366,768", "--user-data-dir=" + profile.toAbsolutePath());
    // The test server's certificate is self-signed; the page is checked over HTTPS all the same.
    options.setAcceptInsecureCerts(true);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  /** Runs {@code script} in the page and returns its value. */
  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Waits until {@code script} returns true in the page. */
  void until(Duration timeout, String what, String script, Object... args) {
    new WebDriverWait(driver, timeout).withMessage(what).until(d -> Boolean.TRUE.equals(js(script, args)));
  }

  /** The console entries since the last call (the driver hands each out once). */
  List<LogEntry> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** Saves what the window shows as a PNG. */
  void screenshot(Path file) throws Exception {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
