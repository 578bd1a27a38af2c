package io.smartupdate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} end to end. The official Java client writes the text format but ships no
 * parser, so the scrape is parsed here with a strict regex of the exposition format: every line
 * must be a HELP, a TYPE or a well-formed sample.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsIT {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL_VALUE = "\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE;
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? (-?[0-9][0-9.eE+-]*|NaN|[+-]Inf)(?: -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
      + " (?:counter|gauge|histogram|summary|untyped|info|stateset|gaugehistogram|unknown))");
  private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=(" + LABEL_VALUE + ")");

  @TempDir Path dir;

  @Test
  void countersMoveWithTrafficAndLabelsStayBounded() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("hpe/ilo5_310.bin"), 50_000, 1);
      // Every HTTP response body between the two scrapes counts, the first scrape's own included
      // (it is counted when it ends, after its text was made): their sum is the exact HTTP figure.
      String beforeText = server.getString(Scheme.HTTP, "/metrics").body();
      Map<String, Double> before = parse(beforeText);
      long httpBodies = beforeText.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
      assertEquals(0, before.get("smartupdate_downloads_in_flight"));

      for (int i = 0; i < 2; i++) httpBodies += expect(200, server.get(Scheme.HTTP, "/firmware/hpe/ilo5_310.bin"));
      long httpsBodies = expect(200, server.get(Scheme.HTTPS, "/firmware/hpe/ilo5_310.bin"));
      httpBodies += expect(404, server.get(Scheme.HTTP, "/firmware/hpe/none.bin"));
      httpBodies += expect(404, server.get(Scheme.HTTP, "/no/such/route"));
      for (String phase : new String[] {"downloading", "downloading", "complete"}) {
        HttpResponse<String> posted = server.post(Scheme.HTTP, "/api/status", "{\"node\":\"ilo-10.0.0.5\",\"phase\":\"" + phase + "\"}");
        assertEquals(201, posted.statusCode(), posted.body());
        httpBodies += posted.body().getBytes(StandardCharsets.UTF_8).length;
      }
      Map<String, Double> after = scrape(server);

      assertEquals(httpBodies, delta(before, after, "smartupdate_served_bytes_total{scheme=\"http\"}"));
      assertEquals(50_000, httpsBodies);
      assertEquals(httpsBodies, delta(before, after, "smartupdate_served_bytes_total{scheme=\"https\"}"));
      assertEquals(3, delta(before, after, "smartupdate_http_requests_total{route=\"/firmware/*\",status=\"2xx\"}"));
      assertEquals(1, delta(before, after, "smartupdate_http_requests_total{route=\"/firmware/*\",status=\"4xx\"}"));
      assertEquals(1, delta(before, after, "smartupdate_http_requests_total{route=\"none\",status=\"4xx\"}"));
      assertEquals(3, delta(before, after, "smartupdate_http_requests_total{route=\"/api/status\",status=\"2xx\"}"));
      assertEquals(2, delta(before, after, "smartupdate_status_events_stored_total{phase=\"downloading\"}"));
      assertEquals(1, delta(before, after, "smartupdate_status_events_stored_total{phase=\"complete\"}"));
      // One post at a time, each waiting for its 201: each is a commit of its own.
      assertEquals(3, delta(before, after, "smartupdate_status_commit_seconds_count"));
      assertEquals(3, delta(before, after, "smartupdate_status_commit_batch_size_sum"));
      assertEquals(1, delta(before, after, "smartupdate_tls_handshakes_total"), "one HTTPS connection, one handshake");
      assertEquals(0, after.get("smartupdate_handoff_sessions_open"));
      assertEquals(TestServer.HANDOFF_PORTS, after.get("smartupdate_handoff_ports_free"), "the test server's whole hand-off range");

      for (String key : after.keySet()) {
        Matcher labels = ONE_LABEL.matcher(key);
        while (labels.find()) {
          String value = labels.group(2);
          assertFalse(value.contains("ilo-10.0.0.5") || value.contains("ilo5_310") || value.contains("none.bin")
              || value.contains("/no/such"), "a label holds a node or a path: " + key);
        }
      }
    }
  }

  @Test
  void aTlsConnectionThatNeverCompletesItsHandshakeCountsAsAFailure() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      double failures = scrape(server).get("smartupdate_tls_handshake_failures_total");
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port(Scheme.HTTPS)), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}); // a handshake record of nonsense
        out.flush();
        socket.setSoTimeout(5000);
        while (socket.getInputStream().read() >= 0) {
          // the server answers with an alert and closes
        }
      }
      double now = failures;
      for (long deadline = System.nanoTime() + 5_000_000_000L; now == failures && System.nanoTime() < deadline; Thread.sleep(50)) {
        now = scrape(server).get("smartupdate_tls_handshake_failures_total");
      }
      assertEquals(failures + 1, now);
    }
  }

  /** Asserts the status and returns the body's length. */
  private static long expect(int status, HttpResponse<byte[]> response) {
    assertEquals(status, response.statusCode(), response.uri().toString());
    return response.body().length;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    assertTrue(after.containsKey(key), "missing " + key + " in " + after.keySet());
    return after.get(key) - before.getOrDefault(key, 0.0);
  }

  /** Samples by name and label set as written; fails on any line that is not the exposition format. */
  static Map<String, Double> scrape(TestServer server) throws Exception {
    HttpResponse<String> response = server.getString(Scheme.HTTP, "/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    return parse(response.body());
  }

  /** Samples by name and label set of one exposition text. */
  static Map<String, Double> parse(String exposition) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Map<String, String> types = new HashMap<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#")) {
        assertTrue(COMMENT.matcher(line).matches(), "not a HELP or TYPE line: " + line);
        if (line.startsWith("# TYPE ")) types.put(line.split(" ")[2], line.split(" ")[3]);
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.matches(), "not a sample line: " + line);
      String key = sample.group(1) + (sample.group(2) == null ? "" : sample.group(2));
      assertFalse(samples.containsKey(key), "sample written twice: " + key);
      samples.put(key, Double.parseDouble(sample.group(3).replace("Inf", "Infinity")));
    }
    assertEquals("counter", types.get("smartupdate_served_bytes_total"));
    assertEquals("histogram", types.get("smartupdate_status_commit_seconds"));
    assertEquals("gauge", types.get("smartupdate_downloads_in_flight"));
    return samples;
  }
}
