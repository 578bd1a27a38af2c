package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * docs/operations.md (Limits): every refusal is logged, one line per interval (1 s) at most, with
 * a count of the ones left out. A flood of 300 refused writes leaves no more lines than seconds
 * it took (plus one), and the lines account for every refusal exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RefusalLogIT {
  private static final int FLOOD = 300;
  private static final Pattern MORE = Pattern.compile("\\(and (\\d+) more like it since the last such line\\)");
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @Test
  void aFloodOfRefusalsLeavesOneLinePerSecondThatCountsTheRest() throws Exception {
    Logger refused = (Logger) LoggerFactory.getLogger("io.smartupdate.refused");
    lines.start();
    refused.addAppender(lines);
    try (TestServer server = TestServer.start(dir)) {
      // The limiter is the process's: wait for a line of our own, which also takes up whatever
      // other tests left uncounted. From then on every refusal is this test's.
      refuseUntilALineIsWritten(server);
      lines.list.clear();

      long start = System.nanoTime();
      for (int i = 0; i < FLOOD; i++) refuse(server);
      // One more at a time until one is logged itself: then nothing is left uncounted.
      int sent = FLOOD + refuseUntilALineIsWritten(server);
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      List<String> written = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      long accounted = 0;
      for (String line : written) {
        assertTrue(line.startsWith("401 POST /api/status from 127.0.0.1: unauthorized: "), line);
        Matcher more = MORE.matcher(line);
        accounted += 1 + (more.find() ? Long.parseLong(more.group(1)) : 0);
      }
      assertEquals(sent, accounted, "every refusal is a line or counted in one: " + written);
      assertTrue(written.size() <= elapsedMillis / 1000 + 1,
          written.size() + " lines for " + sent + " refusals in " + elapsedMillis + " ms: more than one a second");
      assertTrue(written.size() < sent / 10, "the flood was not rate-limited: " + written.size() + " lines");
    } finally {
      refused.detachAppender(lines);
    }
  }

  /** Sends refused writes, 50 ms apart, until one of them is logged (10 s at most); returns how many. */
  private int refuseUntilALineIsWritten(TestServer server) throws Exception {
    int before = lines.list.size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int sent = 1; System.nanoTime() < deadline; sent++) {
      refuse(server);
      if (lines.list.size() > before) return sent;
      Thread.sleep(50);
    }
    throw new AssertionError("no refusal was logged within 10 s");
  }

  private static void refuse(TestServer server) throws Exception {
    HttpResponse<String> response = server.client().send(HttpRequest.newBuilder(server.uri(Scheme.HTTP, "/api/status"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"a\",\"phase\":\"info\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode(), response.body());
  }
}
