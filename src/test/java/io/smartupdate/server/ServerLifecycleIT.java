package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.http.Json;
import io.smartupdate.testing.ChildJvm;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Binding rules: SUM's next-free-port fallback, strict mode, all-or-nothing start, ports freed at close. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerLifecycleIT {
  @TempDir Path dir;

  @Test
  void takenPortFallsBackToTheNextFreeOneUpward() throws Exception {
    try (ServerSocket held = hold(0)) {
      int taken = held.getLocalPort();
      try (TestServer server = TestServer.start(dir, c -> c.httpPort(taken).httpsPort(0).strictPorts(false))) {
        int bound = server.server().httpPort();
        assertTrue(bound > taken && bound < taken + PortBinder.MAX_FALLBACK, "bound " + bound + " after taken " + taken);
        assertEquals(200, server.get(Scheme.HTTP, "/health").statusCode());
      }
    }
  }

  @Test
  void strictPortsFailNamingThePort() throws Exception {
    try (ServerSocket held = hold(0)) {
      int taken = held.getLocalPort();
      StartupException e = assertThrows(StartupException.class, () -> TestServer.start(dir, c -> c.httpPort(taken).httpsPort(0).strictPorts(true)));
      assertTrue(e.getMessage().contains("HTTP port " + taken + " is already in use"), e.getMessage());
    }
  }

  @Test
  void httpsFailureStopsHttpAgainAllOrNothing() throws Exception {
    int httpPort = freePort();
    try (ServerSocket held = hold(0)) {
      int httpsPort = held.getLocalPort();
      StartupException e = assertThrows(StartupException.class,
          () -> TestServer.start(dir, c -> c.httpPort(httpPort).httpsPort(httpsPort).strictPorts(true)));
      assertTrue(e.getMessage().contains("HTTPS port " + httpsPort), e.getMessage());
      assertConnectionRefused(httpPort);
      try (ServerSocket again = hold(httpPort)) {
        assertEquals(httpPort, again.getLocalPort(), "the HTTP port was released");
      }
    }
  }

  @Test
  void ftpFailureAfterHttpHasBoundStopsHttpAndHttpsAgain() throws Exception {
    int httpPort = freePort();
    int httpsPort = freePort();
    try (ServerSocket held = hold(0)) {
      int ftpPort = held.getLocalPort();
      StartupException e = assertThrows(StartupException.class, () -> TestServer.start(dir,
          c -> c.httpPort(httpPort).httpsPort(httpsPort).strictPorts(true).ftp(FtpConfig.onPort(ftpPort))));
      assertTrue(e.getMessage().contains("FTP port " + ftpPort), e.getMessage());
      for (int port : new int[] {httpPort, httpsPort}) {
        assertConnectionRefused(port);
        try (ServerSocket again = hold(port)) {
          assertEquals(port, again.getLocalPort(), "port " + port + " was released");
        }
      }
    }
  }

  // As root this JVM could open the host's firewall for real, so the failing start runs in a
  // child JVM as nobody (no CAP_NET_ADMIN): the firewall fails after HTTP and HTTPS have bound.
  @Test
  void firewallFailureAfterHttpHasBoundReleasesBothPortsInTheSameProcess() throws Exception {
    int httpPort = freePort();
    int httpsPort = freePort();
    Path shared = Files.createTempDirectory(Path.of("/tmp"), "su-fw-fail");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=65534", "--regid=65534",
            "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"));
      }
      command.addAll(ChildJvm.command(FirewallFailureMain.class, shared.toString(), Integer.toString(httpPort), Integer.toString(httpsPort)));
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(output.contains("refused: ") && output.toLowerCase().contains("firewall"), "the firewall failure is the start-up error: " + output);
      assertTrue(output.contains("released"), "HTTP and HTTPS released before the process exits: " + output);
    } finally {
      Tools.run(10, dir.resolve("rm.log"), "rm", "-rf", shared.toString());
    }
  }

  @Test
  void closeFreesBothPortsAtOnce() throws Exception {
    TestServer server = TestServer.start(dir);
    int http = server.server().httpPort();
    int https = server.server().httpsPort();
    assertNotEquals(http, https);
    server.close();
    assertConnectionRefused(http);
    assertConnectionRefused(https);
    server.close(); // idempotent
  }

  @Test
  void missingRepositoryIsAStartupErrorNamingIt() {
    Path missing = dir.resolve("no-such-repo");
    StartupException e = assertThrows(StartupException.class, () -> SmartUpdateServer.start(
        ServerConfig.ephemeral(missing, dir.resolve("certs"), dir.resolve("data"))));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void unknownBindAddressIsAStartupError() throws IOException {
    Files.createDirectories(dir.resolve("repo"));
    StartupException e = assertThrows(StartupException.class, () -> SmartUpdateServer.start(
        ServerConfig.ephemeral(dir.resolve("repo"), dir.resolve("certs"), dir.resolve("data")).toBuilder()
            .bindAddress("no-such-host.invalid").build()));
    assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
  }

  @Test
  void theClockPassedInIsEveryPartsWallClock() throws Exception {
    Files.createDirectories(dir.resolve("repo"));
    Instant ahead = Instant.now().plus(Duration.ofDays(10));
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(10));
    ServerConfig config = ServerConfig.ephemeral(dir.resolve("repo"), dir.resolve("certs"), dir.resolve("data")).toBuilder()
        .bindAddress("127.0.0.1").build();
    try (SmartUpdateServer server = SmartUpdateServer.start(config, clock)) {
      Instant notBefore = server.tls().leaf().getNotBefore().toInstant();
      assertTrue(notBefore.isAfter(ahead.minus(Duration.ofDays(2))), "certificate valid from " + notBefore);
      HttpResponse<String> info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.httpPort() + "/api/server")).build(), BodyHandlers.ofString());
      Instant now = Instant.parse(Json.MAPPER.readTree(info.body()).get("now").asText());
      assertTrue(Duration.between(ahead, now).abs().compareTo(Duration.ofMinutes(5)) < 0, "/api/server now " + now);
    }
  }

  @Test
  void aBugAtStartPassesThroughAsItselfNotAsAConfigurationError() throws Exception {
    Files.createDirectories(dir.resolve("repo"));
    IllegalStateException bug = new IllegalStateException("a bug, not a setting");
    Clock broken = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        throw bug;
      }
    };
    ServerConfig config = ServerConfig.ephemeral(dir.resolve("repo"), dir.resolve("certs"), dir.resolve("data")).toBuilder()
        .bindAddress("127.0.0.1").build();
    assertSame(bug, assertThrows(IllegalStateException.class, () -> SmartUpdateServer.start(config, broken)));
  }

  @Test
  void restartReusesTheGeneratedCertificate() throws Exception {
    String first;
    try (TestServer server = TestServer.start(dir)) {
      first = server.server().fingerprint();
      assertTrue(server.server().readyLine().matches(
          "smartupdate ready http=\\d+ https=\\d+ fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}"), server.server().readyLine());
    }
    try (TestServer server = TestServer.start(dir)) {
      assertEquals(first, server.server().fingerprint());
      assertEquals(200, server.get(Scheme.HTTPS, "/health").statusCode());
    }
  }

  private static ServerSocket hold(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = hold(0)) {
      return socket.getLocalPort();
    }
  }

  private static void assertConnectionRefused(int port) {
    assertThrows(IOException.class, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      }
    }, "port " + port + " still accepts connections");
  }
}
