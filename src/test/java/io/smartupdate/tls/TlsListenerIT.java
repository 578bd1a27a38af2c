package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * The real HTTPS and FTPS listeners against clients that offer only what the policy bans. Each
 * banned family has a control: a JDK server socket with the JDK's defaults and the same
 * certificate accepts the very same client, so a refusal is the policy's doing, not the client's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsListenerIT {
  /** TLS 1.2 suite families the policy bans, as a JDK 17 client can still offer them. */
  enum Banned {
    CBC("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    DHE("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
    STATIC_RSA("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA256");

    final String[] suites;

    Banned(String... suites) {
      this.suites = suites;
    }
  }

  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    int passive = Ports.freeRange(4);
    server = TestServer.start(dir, c -> c.ftp(FtpConfig.onPort(0).withPassiveRange(passive + "-" + (passive + 3))));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @ParameterizedTest
  @EnumSource(Banned.class)
  void httpsListenerRefusesBannedSuitesTheClientOffers(Banned family) throws Exception {
    assertJdkDefaultServerAccepts(family);
    try (SSLSocket socket = client(server.port(Scheme.HTTPS), family.suites)) {
      assertThrows(IOException.class, socket::startHandshake, family + " was accepted over HTTPS");
    }
  }

  @ParameterizedTest
  @EnumSource(Banned.class)
  void ftpsListenerRefusesBannedSuitesTheClientOffers(Banned family) throws Exception {
    assertJdkDefaultServerAccepts(family);
    FTPSClient ftps = ftps(family.suites);
    try {
      assertThrows(IOException.class, () -> ftps.connect("127.0.0.1", server.server().ftpPort()),
          family + " was accepted after AUTH TLS");
    } finally {
      if (ftps.isConnected()) ftps.disconnect();
    }
  }

  @Test
  void bothListenersNegotiateEcdheWithAeadOverTls12() throws Exception {
    try (SSLSocket socket = client(server.port(Scheme.HTTPS), null)) {
      socket.startHandshake();
      assertTrue(TlsPolicy.allowed(socket.getSession().getCipherSuite()), socket.getSession().getCipherSuite());
    }
    FTPSClient ftps = ftps(null);
    try {
      ftps.connect("127.0.0.1", server.server().ftpPort());
      ftps.execPBSZ(0);
      assertEquals(200, ftps.getReplyCode(), ftps.getReplyString());
    } finally {
      ftps.disconnect();
    }
  }

  // The hand-written hello is otherwise acceptable: the same bytes at TLS 1.2 get a ServerHello.
  @Test
  void httpsListenerAnswersATls11HelloWithProtocolVersionAlert() throws Exception {
    int port = server.port(Scheme.HTTPS);
    assertTrue(RawClientHello.send(port, RawClientHello.TLS12, 0xC02F, 0xC013).isServerHello(), "control");

    RawClientHello.Reply reply = RawClientHello.send(port, RawClientHello.TLS11, 0xC02F, 0xC013, 0x002F);
    assertTrue(reply.isFatalAlert(70), () -> "expected protocol_version, got " + reply);
  }

  @Test
  void httpsListenerAnswersAHelloWithOnlyBannedSuitesWithHandshakeFailure() throws Exception {
    int port = server.port(Scheme.HTTPS);
    // ECDHE-RSA-AES128-SHA256, DHE-RSA-AES128-GCM-SHA256, AES128-GCM-SHA256 (static RSA)
    RawClientHello.Reply reply = RawClientHello.send(port, RawClientHello.TLS12, 0xC027, 0x009E, 0x009C);
    assertTrue(reply.isFatalAlert(40), () -> "expected handshake_failure, got " + reply);
  }

  private static void assertJdkDefaultServerAccepts(Banned family) throws Exception {
    try (SSLServerSocket control = (SSLServerSocket) server.server().tls().sslContext().getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) control.accept()) {
          accepted.startHandshake();
          accepted.getOutputStream().write('k');
          return accepted.getSession().getCipherSuite();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (SSLSocket socket = client(control.getLocalPort(), family.suites)) {
        socket.startHandshake();
        assertEquals('k', socket.getInputStream().read());
        assertTrue(List.of(family.suites).contains(socket.getSession().getCipherSuite()), "control: " + family);
      }
      String negotiated = served.get(10, TimeUnit.SECONDS);
      assertTrue(List.of(family.suites).contains(negotiated), "control server negotiated " + negotiated);
    }
  }

  /** A TLS 1.2 client trusting the server's certificate, offering {@code suites} (null: the JDK's defaults). */
  private static SSLSocket client(int port, String[] suites) throws IOException {
    SSLSocket socket = (SSLSocket) server.sslContext().getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    if (suites != null) socket.setEnabledCipherSuites(suites);
    return socket;
  }

  private static FTPSClient ftps(String[] suites) {
    FTPSClient ftps = new FTPSClient(false, server.sslContext());
    ftps.setConnectTimeout(10_000);
    ftps.setDefaultTimeout(10_000);
    ftps.setEnabledProtocols(new String[] {"TLSv1.2"});
    if (suites != null) ftps.setEnabledCipherSuites(suites);
    return ftps;
  }
}
