package io.smartupdate.server;

import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.tls.HeldCertificate;
import io.smartupdate.tls.RawClientHello;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** The HTTPS listener as a client sees it: the certificate served, the protocols and suites allowed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsServerIT {
  @TempDir Path dir;

  @Test
  void operatorPemCertificateIsServedAndFingerprinted() throws Exception {
    Instant now = Instant.now();
    HeldCertificate held = HeldCertificate.builder().commonName("staging.example.net")
        .addSubjectAlternativeName("127.0.0.1").validity(now.minus(1, ChronoUnit.HOURS), now.plus(90, ChronoUnit.DAYS)).build();
    Path cert = Files.writeString(dir.resolve("operator.crt"), held.certificatePem());
    Path key = Files.writeString(dir.resolve("operator.key"), held.privateKeyPkcs8Pem());
    try (TestServer server = TestServer.start(dir, c -> c.operatorCertificate(cert, key))) {
      String expected = HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(held.certificate().getEncoded()));
      assertEquals(expected, server.server().fingerprint());
      assertEquals(held.certificate(), server.server().tls().leaf());
      assertEquals(200, server.get(Scheme.HTTPS, "/health").statusCode());
      assertTrue(Files.notExists(dir.resolve("certs/server.key")), "no certificate generated when the operator brings one");
    }
  }

  @Test
  void operatorCertificateThatDoesNotLoadIsAStartupError() throws IOException {
    Path cert = Files.writeString(dir.resolve("broken.pem"), "not a certificate");
    StartupException e = assertThrows(StartupException.class, () -> TestServer.start(dir, c -> c.operatorCertificate(cert, null)));
    assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void modernProtocolsHandshake(String protocol) throws Exception {
    try (TestServer server = TestServer.start(dir); SSLSocket socket = connect(server)) {
      socket.setEnabledProtocols(new String[] {protocol});
      socket.startHandshake();
      assertEquals(protocol, socket.getSession().getProtocol());
      String suite = socket.getSession().getCipherSuite();
      assertTrue(suite.contains("GCM") || suite.contains("CHACHA20"), suite);
    }
  }

  // The hello is written by hand: a JDK client under the test JVM's JSSE policy may refuse to offer
  // these suites itself, and assertThrows(IOException) would then pass without asking the server.
  // Only the server can answer the hello with an alert; the same hello with an AEAD suite gets a ServerHello.
  @ParameterizedTest
  @ValueSource(ints = {0xC013 /* TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA */, 0x002F /* TLS_RSA_WITH_AES_128_CBC_SHA */,
      0x009C /* TLS_RSA_WITH_AES_128_GCM_SHA256 */})
  void weakSuitesAreRefusedByTheServer(int suite) throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      int port = server.port(Scheme.HTTPS);
      assertTrue(RawClientHello.send(port, RawClientHello.TLS12, 0xC02F).isServerHello(), "control: ECDHE-RSA-AES128-GCM-SHA256");
      RawClientHello.Reply reply = RawClientHello.send(port, RawClientHello.TLS12, suite);
      assertTrue(reply.isFatalAlert(40), () -> String.format("0x%04X: expected handshake_failure from the server, got %s", suite, reply));
    }
  }

  private static SSLSocket connect(TestServer server) throws IOException {
    return (SSLSocket) server.sslContext().getSocketFactory().createSocket("127.0.0.1", server.port(Scheme.HTTPS));
  }
}
