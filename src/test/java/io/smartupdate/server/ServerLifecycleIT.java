package io.smartupdate.server;

import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

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
