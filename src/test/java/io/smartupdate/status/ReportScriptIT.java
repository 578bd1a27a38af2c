package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/smartupdate-report as a host runs it: a real sh, curl and openssl against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportScriptIT {
  private static final Path SCRIPT = Path.of("bin/smartupdate-report").toAbsolutePath();
  @TempDir Path dir;
  private Path wrappers;
  private Path argvLog;

  /** curl and openssl behind wrappers that record every argument list, so a test can look for the token in them. */
  @BeforeEach
  void recordCommandLines() throws Exception {
    wrappers = Files.createDirectories(dir.resolve("bin"));
    argvLog = dir.resolve("argv.log");
    for (String program : List.of("curl", "openssl")) {
      Path real = Tools.require(program);
      Path wrapper = wrappers.resolve(program);
      Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$0 $*\" >> '" + argvLog + "'\nexec '" + real + "' \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private record Run(int exit, String output) {}

  private Run report(String token, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", wrappers + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("SMARTUPDATE_TOKEN", token);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script finished");
    return new Run(process.exitValue(), output);
  }

  @Test
  void signedReportOverHttpIsStoredAndTheTokenNeverReachesACommandLine() throws Exception {
    try (TestServer server = TestServer.start(dir.resolve("server"))) {
      Run run = report(server.token(), server.uri(Scheme.HTTP, "").toString(), "esx-12", "downloading", "40", "fetching U46", "U46.flash");
      assertEquals(0, run.exit(), run.output());
      JsonNode stored = Json.MAPPER.readTree(run.output());
      assertEquals("esx-12", stored.get("node").asText());
      assertEquals(40, stored.get("progress").asInt());
      String argv = Files.readString(argvLog);
      assertTrue(argv.contains("openssl dgst"), "openssl was used: " + argv);
      assertFalse(argv.contains(server.token()), "the token is on a command line: " + argv);
    }
  }

  @Test
  void bearerReportOverHttpsWithTheServerCertificateIsStored() throws Exception {
    try (TestServer server = TestServer.start(dir.resolve("server"))) {
      Path cacert = server.dir().resolve("certs/server.crt");
      Run run = report(server.token(), "--cacert", cacert.toString(), server.uri(Scheme.HTTPS, "").toString(), "ilo-7", "complete", "100");
      assertEquals(0, run.exit(), run.output());
      assertEquals("complete", Json.MAPPER.readTree(run.output()).get("phase").asText());
      assertFalse(Files.readString(argvLog).contains(server.token()), "the bearer token is on a command line");
    }
  }

  @Test
  void badUsageIsOneCleanLineAndExit2() throws Exception {
    Run progress = report("x".repeat(43), "http://127.0.0.1:1", "n", "info", "101");
    assertEquals(2, progress.exit());
    assertEquals("smartupdate-report: PROGRESS must be 0-100, not '101'\n", progress.output());
    Run scheme = report("x".repeat(43), "ftp://127.0.0.1:1", "n", "info");
    assertEquals(2, scheme.exit());
    assertTrue(scheme.output().startsWith("smartupdate-report: SERVER_URL must start with http:// or https://"), scheme.output());
  }

  @Test
  void aWrongTokenIsRefusedWithTheServersReasonAndExit1() throws Exception {
    try (TestServer server = TestServer.start(dir.resolve("server"))) {
      Run run = report("y".repeat(43), server.uri(Scheme.HTTP, "").toString(), "n", "info");
      assertEquals(1, run.exit(), run.output());
      assertTrue(run.output().contains("signature does not match") && run.output().contains("the server answered 401"), run.output());
    }
  }
}
