package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.Tools;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher as an operator runs it: a child process, its ready line, its signals, its exit codes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherIT {
  private static final Path LAUNCHER = LaunchedServer.LAUNCHER;
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Process process = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectError(dir.resolve("stderr.log").toFile())
        .start();
    processes.add(process);
    return process;
  }

  private int awaitHttpPort(Process process) throws InterruptedException {
    return LaunchedServer.awaitReady(process, Duration.ofSeconds(60), () -> "stderr: " + readQuietly(dir.resolve("stderr.log"))).http();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Test
  void sigtermStopsCleanlyWithoutCuttingAnInFlightDownload() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    byte[] image = Samples.write(repo.resolve("big.bin"), 32 * 1024 * 1024, 5);
    Process server = launch("/port", "0", "/ssl_port", "0", "/repo", repo.toString(), "/data", dir.resolve("data").toString(),
        "/certs", dir.resolve("certs").toString(), "/bind", "127.0.0.1");
    int port = awaitHttpPort(server);
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());

    // a small window keeps most of the body on the server side until we read it
    try (Socket download = SlowReader.get(port, 8192, 10_000, null, "/firmware/big.bin", "Connection: close")) {
      InputStream in = download.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      received.write(buffer, 0, in.read(buffer));

      long signalled = System.nanoTime();
      server.destroy(); // SIGTERM, delivered to the JVM itself because the launcher execs it
      for (int n; (n = in.read(buffer)) >= 0; ) received.write(buffer, 0, n);
      byte[] response = received.toByteArray();
      int bodyStart = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
      assertTrue(new String(response, 0, bodyStart, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      byte[] body = Arrays.copyOfRange(response, bodyStart, response.length);
      assertArrayEquals(image, body, "the in-flight download was completed byte for byte");

      assertTrue(server.waitFor(5, TimeUnit.SECONDS), "stopped within 5 s of SIGTERM");
      assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(5));
      assertEquals(0, server.exitValue(), Files.readString(dir.resolve("stderr.log")));
    }
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "port released");
    assertTrue(Files.readString(dir.resolve("data/logs/smartupdate.log")).contains("stopped"), "log file written and flushed");
  }

  /**
   * docs/operations.md: an OutOfMemoryError ends the process with exit 3 (the launcher's
   * -XX:+ExitOnOutOfMemoryError), so a service manager restarts it. An 8 MiB heap cannot hold
   * the start (certificate generation, Undertow's buffers): the first allocation too many is one.
   */
  @Test
  void anOutOfMemoryErrorEndsTheProcessWithExit3() throws Exception {
    ProcessBuilder launch = LaunchedServer.command(dir);
    launch.environment().put("SMARTUPDATE_JAVA_OPTS", "-Xms8m -Xmx8m -XX:+UseSerialGC");
    Process server = launch.start();
    processes.add(server);
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "still running on an 8 MiB heap");
    String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + readQuietly(dir.resolve("stderr.log"));
    assertEquals(3, server.exitValue(), output);
    assertTrue(output.contains("Terminating due to java.lang.OutOfMemoryError"), output);
    assertFalse(output.contains("smartupdate ready"), "no ready line from a server that ran out of memory: " + output);
  }

  /**
   * docs/operations.md (Limits): the connection cap, 8192 by default, is lowered to
   * (ulimit -n - 256) / 2 with a warning at start, and the lowered cap is the one enforced.
   */
  @Test
  void theConnectionCapIsLoweredToFitUlimitWithAWarning() throws Exception {
    int files = 600;
    int cap = (files - 256) / 2;
    ProcessBuilder launch = LaunchedServer.command(dir);
    List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + files + " && exec \"$0\" \"$@\""));
    command.addAll(launch.command());
    launch.command(command);
    List<Socket> held = new ArrayList<>();
    try (LaunchedServer server = LaunchedServer.start(launch, dir, LaunchedServer.READY_TIMEOUT)) {
      String log = Files.readString(dir.resolve("data/logs/smartupdate.log"));
      assertTrue(log.contains("this process may open " + files + " files (ulimit -n), so it takes " + cap
          + " connections, not 8192 (/max_connections)"), log);
      for (int i = 0; i < cap; i++) {
        Socket socket = new Socket();
        held.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5_000);
        socket.setSoTimeout(10_000);
      }
      // The last one held is in (it answers), so every one before it was counted already.
      Socket last = held.get(held.size() - 1);
      last.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(new String(last.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      try (Socket over = new Socket()) {
        over.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5_000);
        over.setSoTimeout(5_000);
        int first;
        try {
          first = over.getInputStream().read();
        } catch (SocketException reset) {
          first = -1;
        }
        assertEquals(-1, first, "connection " + (cap + 1) + " is over the lowered cap and closed at once");
      }
    } finally {
      for (Socket socket : held) socket.close();
    }
  }

  /**
   * docs/operations.md: on SIGTERM the ports close at once (a BMC retrying finds nothing to talk
   * to) while in-flight downloads get a 4 s grace; one still running then is cut, and the process
   * exits 0. The download here never reads, so it can only end by the grace running out.
   */
  @Test
  void sigtermClosesThePortsAtOnceAndCutsWhatOutlivesTheFourSecondGrace() throws Exception {
    Samples.write(dir.resolve("repo/big.bin"), 32 * 1024 * 1024, 6);
    try (LaunchedServer server = LaunchedServer.start(dir);
         Socket download = SlowReader.get(server.httpPort(), 8192, 30_000, null, "/firmware/big.bin")) {
      assertTrue(new String(download.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      long signalled = System.nanoTime();
      server.process().destroy(); // SIGTERM to the JVM itself: the launcher execs it
      long closedAfter = -1;
      while (System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(3)) {
        if (!Ports.accepts(server.httpPort())) {
          closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(closedAfter >= 0, "the HTTP port still accepted connections 3 s after SIGTERM");
      assertTrue(server.process().isAlive(), "the port closed while the grace ran, not at the exit (" + closedAfter + " ms)");
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "no exit within 30 s of SIGTERM");
      long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      assertEquals(0, server.process().exitValue(), server.stderr());
      // The grace is 4 s: not shorter (the download was waited for); the upper bound is margin for a loaded machine.
      assertTrue(exitedAfter >= 3_900, "exited " + exitedAfter + " ms after SIGTERM: the 4 s grace was not waited");
      assertTrue(Files.readString(dir.resolve("data/logs/smartupdate.log")).contains("end of the stop grace"), "the cut is logged");
      long received = 0;
      byte[] buffer = new byte[65536];
      try {
        for (int n; (n = download.getInputStream().read(buffer)) >= 0; ) received += n;
      } catch (SocketException reset) {
        // cut with a reset: as good as a close
      }
      assertTrue(received < 32 * 1024 * 1024, "the download that outlived the grace was cut, not finished: " + received + " bytes");
      System.out.println("sigterm: port closed " + closedAfter + " ms after SIGTERM, exit after " + exitedAfter + " ms");
    }
  }

  @Test
  void theTokenValueNeverReachesTheLogs() throws Exception {
    Path logs = dir.resolve("logs");
    Process server = launch("/port", "0", "/ssl_port", "0", "/bind", "127.0.0.1", "/repo", Files.createDirectories(dir.resolve("repo")).toString(),
        "/data", dir.resolve("data").toString(), "/certs", dir.resolve("certs").toString(), "/logdir", logs.toString());
    int port = awaitHttpPort(server);
    String token = Files.readString(dir.resolve("data/token")).trim();
    HttpClient client = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + port + "/api/status");
    String body = "{\"node\":\"n1\",\"phase\":\"info\"}";
    assertEquals(201, client.send(HttpRequest.newBuilder(status).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    // Refused writes are logged: ones carrying the token with a typo, or in the wrong header, must not echo it.
    for (String[] header : new String[][] {{"Authorization", "Bearer " + token + "x"}, {"Authorization", token},
        {"X-SU-Signature", token}}) {
      int code = client.send(HttpRequest.newBuilder(status).header("Content-Type", "application/json").header(header[0], header[1]).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
      assertTrue(code == 401 || code == 400, header[0] + ": " + code);
    }
    server.destroy();
    assertTrue(server.waitFor(10, TimeUnit.SECONDS));
    String logged = Files.readString(logs.resolve("smartupdate.log")) + Files.readString(dir.resolve("stderr.log"));
    assertTrue(logged.contains("generated the write token") && logged.contains("401"), "the logs were written: " + logged);
    assertFalse(logged.contains(token), "the token value is in the logs");
    assertFalse(logged.contains(token.substring(0, 16)), "part of the token value is in the logs");
  }

  @Test
  void firewallFailureIsOneLineAndExit2() throws Exception {
    Path shared = Files.createTempDirectory(Path.of("/tmp"), "su-fw-exit");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) { // as nobody, without CAP_NET_ADMIN, opening the firewall fails
        command.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all"));
      }
      command.addAll(List.of(LAUNCHER.toString(), "/port", "0", "/ssl_port", "0", "/bind", "127.0.0.1", "/open_firewall", "/s",
          "/data", shared.resolve("data").toString(), "/certs", shared.resolve("certs").toString(),
          "/repo", Files.createDirectories(shared.resolve("repo")).toString()));
      Process server = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectError(dir.resolve("stderr.log").toFile())
          .start();
      processes.add(server);
      assertTrue(server.waitFor(60, TimeUnit.SECONDS));
      String stderr = Files.readString(dir.resolve("stderr.log"));
      assertEquals(2, server.exitValue(), stderr);
      assertEquals(1, stderr.lines().count(), stderr);
      assertTrue(stderr.startsWith("smartupdate: ") && stderr.toLowerCase().contains("firewall"), stderr);
      assertEquals(-1, server.getInputStream().read(), "no ready line");
    } finally {
      Tools.run(10, dir.resolve("rm.log"), "rm", "-rf", shared.toString());
    }
  }

  @Test
  void strictPortConflictIsOneLineAndExit2() throws Exception {
    try (ServerSocket held = new ServerSocket(0)) {
      Process server = launch("--port", String.valueOf(held.getLocalPort()), "--ssl-port", "0", "--strict-ports", "/s",
          "--data", dir.resolve("data").toString(), "--certs", dir.resolve("certs").toString());
      assertTrue(server.waitFor(60, TimeUnit.SECONDS));
      assertEquals(2, server.exitValue());
      List<String> errors = Files.readAllLines(dir.resolve("stderr.log"));
      assertEquals(List.of("smartupdate: HTTP port " + held.getLocalPort()
          + " is already in use (strict ports: free it or choose another port)"), errors);
      assertEquals(-1, server.getInputStream().read(), "no ready line");
    }
  }

  /** HTTP on 80, or FTP on 21 with HTTP and HTTPS on free ports: as nobody the start fails naming the port and the fix. */
  @ParameterizedTest
  @ValueSource(strings = {"HTTP 80", "FTP 21"})
  void privilegedPortWithoutPrivilegeNamesThePortAndTheFix(String listener) throws Exception {
    String what = listener.split(" ")[0];
    int port = Integer.parseInt(listener.split(" ")[1]);
    int unprivilegedStart;
    try (BufferedReader sysctl = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
      unprivilegedStart = Integer.parseInt(sysctl.readLine().trim()); // Files.readString misreads /proc's zero size
    }
    Tools.requireThat(unprivilegedStart > port,
        "this kernel lets anyone bind port " + port + " (ip_unprivileged_port_start <= " + port + "), so the refusal cannot be shown");
    Path shared = Files.createTempDirectory(Path.of("/tmp"), "su-unpriv");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of(Tools.require("setpriv").toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all"));
      }
      command.addAll(List.of(LAUNCHER.toString(), "/ssl_port", "0", "/s",
          "/data", shared.resolve("data").toString(), "/certs", shared.resolve("certs").toString()));
      if (what.equals("HTTP")) {
        command.addAll(List.of("/port", "80"));
      } else {
        int passive = Ports.freeRange(10);
        command.addAll(List.of("/port", "0", "/ftp_port", "21", "/ftp_passive_ports", passive + "-" + (passive + 9)));
      }
      Process server = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectError(dir.resolve("stderr.log").toFile())
          .start();
      processes.add(server);
      assertTrue(server.waitFor(60, TimeUnit.SECONDS));
      String stderr = Files.readString(dir.resolve("stderr.log"));
      assertEquals(2, server.exitValue(), stderr);
      assertEquals(1, stderr.lines().count(), stderr);
      assertTrue(stderr.contains(what + " port " + port + " is privileged") && stderr.contains("CAP_NET_BIND_SERVICE")
          && stderr.contains("root"), stderr);
    } finally {
      Tools.run(10, dir.resolve("rm.log"), "rm", "-rf", shared.toString());
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
      return i;
    }
    return -1;
  }
}
