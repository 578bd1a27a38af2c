package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import io.smartupdate.tls.TlsMaterial;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the FTP service: ports, users file, all-or-nothing start, prompt close, quiet logs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FtpLifecycleIT {
  static TlsMaterial tls;
  @TempDir Path dir;
  Path repo;
  byte[] image;
  byte[] bios;

  @BeforeAll
  static void certificate() {
    tls = FtpFixture.tls();
  }

  @BeforeEach
  void repository() throws IOException {
    FtpFixture.Repo fixture = FtpFixture.repository(dir);
    repo = fixture.root();
    image = fixture.image();
    bios = fixture.bios();
  }

  @Test
  void misbehavingClientsLogNothingAboveDebugWithTheRecommendedLevels() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, Level> previous = new HashMap<>();
    FtpService.LOG_LEVELS.forEach((name, level) -> {
      previous.put(name, context.getLogger(name).getLevel());
      context.getLogger(name).setLevel(Level.toLevel(level));
    });
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    List<Logger> watched = List.of(context.getLogger("org.apache"), context.getLogger("io.smartupdate.ftp"));
    watched.forEach(logger -> logger.addAppender(events));
    Path bigRepo = Files.createDirectories(dir.resolve("noisy-repo"));
    try (RandomAccessFile big = new RandomAccessFile(bigRepo.resolve("big.bin").toFile(), "rw")) {
      big.setLength(64L << 20);
    }
    try (FtpService service = FtpService.start(FtpFixture.config(0), "127.0.0.1", false, bigRepo, tls)) {
      try (Socket tlsThenGarbage = rawControl(service.port())) {
        send(tlsThenGarbage, "AUTH TLS\r\n");
        assertTrue(readLine(tlsThenGarbage).startsWith("234"));
        send(tlsThenGarbage, "this is no TLS client hello\r\n".repeat(20));
        drainUntilClosed(tlsThenGarbage);
      }
      try (Socket reset = rawControl(service.port())) {
        send(reset, "USER anonymous\r\nPASS x\r\nPWD\r\n");
        reset.setSoLinger(true, 0); // RST instead of FIN
      }
      FTPClient aborting = FtpClients.anonymous(service.port());
      InputStream download = aborting.retrieveFileStream("big.bin");
      assertTrue(download.read(new byte[1024]) > 0);
      download.close(); // the client walks away mid-transfer
      FtpClients.quit(aborting);
      FTPClient wrong = FtpClients.connect(service.port());
      assertFalse(wrong.login("anonymous-not", "guess"));
      FtpClients.quit(wrong);
      // Resets and aborts are noticed asynchronously: wait until every session has been closed by
      // the server (its close events, where any warning would be logged, have run).
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (service.sessions() > 0) {
        assertTrue(System.nanoTime() < deadline, service.sessions() + " FTP sessions still open after 10 s");
        Thread.sleep(10); // polling the condition, not waiting for luck
      }
    } finally {
      watched.forEach(logger -> logger.detachAppender(events));
      previous.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
    assertEquals(List.of(), events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList());
  }

  @Test
  void takenControlPortFallsBackToTheNextFreeOneUpward() throws Exception {
    try (ServerSocket held = hold(0)) {
      int taken = held.getLocalPort();
      try (FtpService fallback = FtpService.start(FtpFixture.config(taken), "127.0.0.1", false, repo, tls)) {
        assertTrue(fallback.port() > taken && fallback.port() < taken + PortBinder.MAX_FALLBACK, "bound " + fallback.port());
        FTPClient client = FtpClients.anonymous(fallback.port());
        assertArrayEquals(bios, FtpClients.download(client, "sub/bios_u46.bin"));
        FtpClients.quit(client);
      }
    }
  }

  @Test
  void strictPortsFailNamingThePort() throws Exception {
    try (ServerSocket held = hold(0)) {
      int taken = held.getLocalPort();
      StartupException e = assertThrows(StartupException.class,
          () -> FtpService.start(FtpFixture.config(taken), "127.0.0.1", true, repo, tls));
      assertEquals("FTP port " + taken + " is already in use (strict ports: free it or choose another port)", e.getMessage());
    }
  }

  // The privileged-port refusal (FTP on 21 as nobody) is LauncherIT's: as root this JVM could bind
  // it, so it runs the launcher under setpriv, and so it runs in CI too.

  @Test
  void namedUserFromTheUsersFileLogsInAndDownloadsReadOnly() throws Exception {
    Path users = dir.resolve("users-ok.properties");
    Files.writeString(users, FtpPasswordHash.entry("bmc", "correct horse") + "ftpserver.user.bmc.writepermission=true\n");
    Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
    try (FtpService named = FtpService.start(FtpFixture.config(0).withUsersFile(users), "127.0.0.1", false, repo, tls)) {
      FTPClient client = FtpClients.connect(named.port());
      assertFalse(client.login("bmc", "wrong horse"));
      assertEquals(530, client.getReplyCode());
      assertTrue(client.login("bmc", "correct horse"), client.getReplyString());
      FtpClients.binaryPassive(client);
      assertArrayEquals(image, FtpClients.download(client, "ilo5_281.bin"));
      assertFalse(client.storeFile("from-bmc.bin", new ByteArrayInputStream(new byte[10])));
      assertEquals(550, client.getReplyCode());
      FtpClients.quit(client);
      FTPClient anonymous = FtpClients.anonymous(named.port());
      assertEquals(2, anonymous.listFiles().length, "anonymous still allowed");
      FtpClients.quit(anonymous);
    }
    assertFalse(Files.exists(repo.resolve("from-bmc.bin")));
  }

  @Test
  void missingUsersFileIsAStartupErrorNamingIt() {
    Path missing = dir.resolve("no-such-users.properties");
    StartupException e = assertThrows(StartupException.class,
        () -> FtpService.start(FtpFixture.config(0).withUsersFile(missing), "127.0.0.1", false, repo, tls));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void missingRepositoryIsAStartupErrorNamingIt() {
    Path missing = dir.resolve("no-such-repo");
    StartupException e = assertThrows(StartupException.class, () -> FtpService.start(FtpFixture.config(0), null, false, missing, tls));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void closeFreesTheControlPortAndIsIdempotent() throws Exception {
    FtpService service = FtpService.start(FtpFixture.config(0), "127.0.0.1", true, repo, tls);
    int port = service.port();
    FTPClient client = FtpClients.anonymous(port);
    service.close();
    service.close();
    try (ServerSocket again = hold(port)) {
      assertEquals(port, again.getLocalPort());
    }
    assertThrows(IOException.class, client::noop, "the open session was closed too");
  }

  @Test
  void closeAbortsAStalledDownloadPromptly() throws Exception {
    Path bigRepo = Files.createDirectories(dir.resolve("big-repo"));
    try (RandomAccessFile big = new RandomAccessFile(bigRepo.resolve("big.bin").toFile(), "rw")) {
      big.setLength(256L << 20); // sparse: far more than the socket buffers hold, no disk used
    }
    FtpService service = FtpService.start(FtpFixture.config(0), "127.0.0.1", true, bigRepo, tls);
    FTPClient client = FtpClients.anonymous(service.port());
    try (InputStream stalled = client.retrieveFileStream("big.bin")) {
      assertTrue(stalled.read(new byte[1024]) > 0, "the download started");
      long start = System.nanoTime();
      service.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "close took " + took);
      long drained = 1024;
      try {
        for (int n; (n = stalled.read(new byte[65536])) >= 0; ) drained += n;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the data connection stalled after " + drained + " bytes instead of being closed", e);
      } catch (IOException e) {
        // reset: as good as an early end
      }
      assertTrue(drained < 256L << 20, "the transfer was cut short, not finished: " + drained);
    } finally {
      FtpClients.quit(client);
    }
  }

  private static Socket rawControl(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    socket.setSoTimeout(5000);
    assertTrue(readLine(socket).startsWith("220"));
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static String readLine(Socket socket) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = socket.getInputStream().read()) != '\n'; ) {
      if (c < 0) throw new IOException("closed after " + line);
      line.append((char) c);
    }
    return line.toString();
  }

  private static void drainUntilClosed(Socket socket) throws IOException {
    try {
      while (socket.getInputStream().read() >= 0) {
        // whatever the server sends before it closes (a TLS alert, perhaps)
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open instead of closing it", e);
    } catch (SocketException e) {
      // reset: closed just as well
    }
  }

  private static ServerSocket hold(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }
}
