package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Real handshakes between a JDK server socket configured by {@link TlsPolicy} and JDK clients. */
class TlsHandshakeTest {
  private static final int TIMEOUT_MS = 10_000;

  @TempDir Path certs;

  @ParameterizedTest(name = "{0} with {1} key")
  @CsvSource({"TLSv1.3, RSA", "TLSv1.2, RSA", "TLSv1.3, EC", "TLSv1.2, EC"})
  void clientTrustingTheCertificateCompletesTheHandshake(String protocol, String keyType) throws Exception {
    TlsMaterial material = keyType.equals("RSA")
        ? CertificateStore.loadOrGenerate(certs, Clock.systemUTC())
        : TestKeys.material(TestKeys.server(true, 90));
    try (Server server = new Server(material, true);
        SSLSocket client = connect(material.leaf(), server.port(), protocol, null)) {
      client.startHandshake();
      assertEquals('k', client.getInputStream().read());

      SSLSession session = client.getSession();
      assertEquals(protocol, session.getProtocol());
      assertTrue(TlsPolicy.allowed(session.getCipherSuite()), session.getCipherSuite());
      assertEquals(protocol, server.session().getProtocol());
      byte[] presented = session.getPeerCertificates()[0].getEncoded();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(presented);
      assertEquals(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest), material.fingerprint());
    }
  }

  @Test
  void clientLimitedToTls11FailsTheHandshake() throws Exception {
    TlsMaterial material = TestKeys.material(TestKeys.server(false, 90));
    try (Server server = new Server(material, true);
        SSLSocket client = connect(material.leaf(), server.port(), "TLSv1.1", null)) {
      assertThrows(SSLHandshakeException.class, client::startHandshake);
      assertThrows(ExecutionException.class, server::session);
    }
  }

  // A JDK client cannot even offer TLS 1.1 (jdk.tls.disabledAlgorithms), so speak it by hand.
  @Test
  void tls11ClientHelloIsAnsweredWithProtocolVersionAlert() throws Exception {
    TlsMaterial material = TestKeys.material(TestKeys.server(false, 90));
    try (Server server = new Server(material, true);
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      raw.setSoTimeout(TIMEOUT_MS);
      raw.getOutputStream().write(clientHello(0x0302, 0xC013, 0xC014, 0x002F));
      raw.getOutputStream().flush();

      DataInputStream in = new DataInputStream(raw.getInputStream());
      assertEquals(21, in.readUnsignedByte(), "record type alert");
      in.readUnsignedShort();
      assertEquals(2, in.readUnsignedShort(), "alert length");
      assertEquals(2, in.readUnsignedByte(), "fatal");
      assertEquals(70, in.readUnsignedByte(), "protocol_version");
      assertInstanceOf(SSLHandshakeException.class, assertThrows(ExecutionException.class, server::session).getCause());
    }
  }

  @Test
  void clientOfferingOnlyCbcWithSha1MacFailsWhereTheJdkDefaultWouldAccept() throws Exception {
    TlsMaterial material = TestKeys.material(TestKeys.server(false, 90));
    String[] sha1Suite = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"};
    // Control: without the policy the JDK server would accept this client.
    try (Server server = new Server(material, false);
        SSLSocket client = connect(material.leaf(), server.port(), "TLSv1.2", sha1Suite)) {
      client.startHandshake();
      assertEquals(sha1Suite[0], client.getSession().getCipherSuite());
    }
    try (Server server = new Server(material, true);
        SSLSocket client = connect(material.leaf(), server.port(), "TLSv1.2", sha1Suite)) {
      assertThrows(SSLHandshakeException.class, client::startHandshake);
      assertThrows(ExecutionException.class, server::session);
    }
  }

  @Test
  void serverSocketIsRestrictedToThePolicy() throws Exception {
    TlsMaterial material = TestKeys.material(TestKeys.server(false, 90));
    try (Server server = new Server(material, true)) {
      assertArrayEquals(TlsPolicy.PROTOCOLS.toArray(), server.socket.getEnabledProtocols());
      assertEquals(TlsPolicy.cipherSuites(material.sslContext()), java.util.List.of(server.socket.getEnabledCipherSuites()));
    }
  }

  private static SSLSocket connect(X509Certificate trusted, int port, String protocol, String[] suites) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", trusted);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(TIMEOUT_MS);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    if (suites != null) parameters.setCipherSuites(suites);
    // Also proves the certificate names 127.0.0.1 in a way the JDK accepts.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    return socket;
  }

  /** A minimal ClientHello record offering {@code version} and {@code suites}, with the extensions ECDHE needs. */
  private static byte[] clientHello(int version, int... suites) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeShort(version);
    out.write(new byte[32]); // random
    out.writeByte(0); // session id
    out.writeShort(suites.length * 2);
    for (int suite : suites) out.writeShort(suite);
    out.writeByte(1);
    out.writeByte(0); // null compression
    byte[] extensions = {
      0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d, // supported_groups: secp256r1, x25519
      0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
    };
    out.writeShort(extensions.length);
    out.write(extensions);
    byte[] hello = body.toByteArray();

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    DataOutputStream rec = new DataOutputStream(record);
    rec.writeByte(22); // handshake
    rec.writeShort(0x0301);
    rec.writeShort(hello.length + 4);
    rec.writeByte(1); // client_hello
    rec.writeByte(0);
    rec.writeShort(hello.length);
    rec.write(hello);
    return record.toByteArray();
  }

  /** Accepts one connection on 127.0.0.1, any port, handshakes and writes one byte. */
  private static final class Server implements AutoCloseable {
    final SSLServerSocket socket;
    private final CompletableFuture<SSLSession> session = new CompletableFuture<>();

    Server(TlsMaterial material, boolean applyPolicy) throws IOException {
      socket = (SSLServerSocket) material.sslContext().getServerSocketFactory()
          .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
      if (applyPolicy) TlsPolicy.apply(socket);
      Thread thread = new Thread(this::serveOne, "tls-test-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    SSLSession session() throws Exception {
      return session.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private void serveOne() {
      try (SSLSocket accepted = (SSLSocket) socket.accept()) {
        accepted.setSoTimeout(TIMEOUT_MS);
        accepted.startHandshake();
        accepted.getOutputStream().write('k');
        accepted.getOutputStream().flush();
        session.complete(accepted.getSession());
      } catch (IOException | RuntimeException e) {
        session.completeExceptionally(e);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
