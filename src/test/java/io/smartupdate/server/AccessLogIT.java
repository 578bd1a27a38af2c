package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import io.smartupdate.transport.AccessLog;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code <logdir>/access.log}: combined format, the time taken and the hand-off session. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccessLogIT {
  /** host ident user [time] "request" status bytes "referer" "agent" millis session */
  private static final Pattern LINE = Pattern.compile(
      "(\\S+) - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] \"(\\S+ \\S+ HTTP/1\\.1)\" (\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\" (\\d+) (\\S+)");

  @TempDir Path dir;

  @Test
  void oneLinePerRequestWithTimeAndSession() throws Exception {
    int first = Ports.freeRange(2);
    Path logs = dir.resolve("logs");
    String sessionId;
    String token;
    try (TestServer server = TestServer.start(dir, c -> c.logDir(logs)
        .handoff(new HandoffConfig(first, first + 1, false, Duration.ofSeconds(30), Duration.ofHours(1))))) {
      Samples.write(server.repo().resolve("fw.bin"), 1000, 1);
      assertEquals(200, server.get(Scheme.HTTP, "/firmware/fw.bin", "Referer", "http://ops/", "User-Agent", "bmc/1.0").statusCode());
      assertEquals(404, server.get(Scheme.HTTPS, "/firmware/none.bin").statusCode());
      JsonNode session = Json.MAPPER.readTree(server.post(Scheme.HTTP, "/api/handoff", "{}").body());
      sessionId = session.get("id").asText();
      token = session.get("token").asText();
      HttpResponse<byte[]> viaSession = server.client().send(HttpRequest.newBuilder(
          URI.create(session.get("url").asText() + "firmware/fw.bin?session=" + token)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, viaSession.statusCode());
    }
    List<String> lines = Files.readAllLines(logs.resolve(AccessLog.FILE));
    assertEquals(4, lines.size(), String.join("\n", lines));
    Matcher get = matched(lines.get(0));
    assertEquals("127.0.0.1", get.group(1));
    assertEquals("GET /firmware/fw.bin HTTP/1.1", get.group(2));
    assertEquals("200", get.group(3));
    assertEquals("1000", get.group(4));
    assertEquals("http://ops/", get.group(5));
    assertEquals("bmc/1.0", get.group(6));
    assertEquals("-", get.group(8));
    assertEquals("404", matched(lines.get(1)).group(3));
    assertEquals("POST /api/handoff HTTP/1.1", matched(lines.get(2)).group(2));
    Matcher handedOff = matched(lines.get(3));
    assertEquals(sessionId, handedOff.group(8));
    assertEquals("GET /firmware/fw.bin?session=- HTTP/1.1", handedOff.group(2));
    assertFalse(String.join("\n", lines).contains(token), "session tokens never reach the log");
  }

  @Test
  void noLogDirMeansNoAccessLog() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      assertEquals(200, server.get(Scheme.HTTP, "/health").statusCode());
    }
    try (var files = Files.walk(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("access")));
    }
  }

  private static Matcher matched(String line) {
    Matcher m = LINE.matcher(line);
    assertTrue(m.matches(), "not an access-log line: " + line);
    return m;
  }
}
