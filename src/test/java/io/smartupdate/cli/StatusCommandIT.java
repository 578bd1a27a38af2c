package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code smartupdate status} against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusCommandIT {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void theTableShowsThePostedNode() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      assertEquals(201, server.post(Scheme.HTTP, "/api/status",
          "{\"node\":\"ilo-10.0.0.5\",\"phase\":\"flashing\",\"progress\":42,\"component\":\"ilo5_310.bin\"}").statusCode());
      CliRun run = run("status", "--server", "http://127.0.0.1:" + server.port(Scheme.HTTP));
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains("NODE") && run.out().contains("ilo-10.0.0.5") && run.out().contains("flashing")
          && run.out().contains("42%"), run.out());
      assertTrue(run.out().contains("Downloads in flight: 0"), run.out());
    }
  }

  @Test
  void jsonParsesAndHttpsWorksWithCacert() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      server.post(Scheme.HTTP, "/api/status", "{\"node\":\"idrac-1\",\"phase\":\"complete\"}");
      Path pem = Files.writeString(dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(server.server().tls().leaf().getEncoded())
          + "\n-----END CERTIFICATE-----\n");
      CliRun run = run("status", "/server", "https://127.0.0.1:" + server.port(Scheme.HTTPS), "--json", "/cacert", pem.toString());
      assertEquals(0, run.code(), run.err());
      JsonNode json = Json.MAPPER.readTree(run.out());
      assertEquals("idrac-1", json.get("nodes").get("nodes").get(0).get("node").asText());
      assertTrue(json.get("downloads").get("downloads").isArray());
    }
  }

  @Test
  void anUnreachableServerExits2WithOneLine() throws Exception {
    int port = Ports.freeRange(1);
    CliRun run = run("status", "--server", "http://127.0.0.1:" + port);
    assertEquals(2, run.code());
    assertEquals("smartupdate: cannot reach http://127.0.0.1:" + port + ": connection refused", run.err().strip());
    assertEquals("", run.out());
  }

  @Test
  void watchRedrawsOnEventsAndEndsWhenTheServerGoes() throws Exception {
    TestServer server = TestServer.start(dir);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"status", "--watch", "--server",
        "http://127.0.0.1:" + server.port(Scheme.HTTP)}, print, print));
    try {
      awaitOutput(out, "Nodes: 0");
      server.post(Scheme.HTTP, "/api/status", "{\"node\":\"ilo-watch\",\"phase\":\"rebooting\"}");
      awaitOutput(out, "ilo-watch");
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("\033[2J"), "redrawn in place");
    } finally {
      server.close();
    }
    assertEquals(2, watching.get(10, TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8));
  }

  private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
    for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
      if (out.toString(StandardCharsets.UTF_8).contains(text)) return;
    }
    throw new AssertionError("no '" + text + "' in " + out.toString(StandardCharsets.UTF_8));
  }
}
