package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real handshakes with the material's own SSLContext (RSA and EC keys) under the policy's lists.
 * What the real listeners accept and refuse is TlsListenerIT's job.
 */
class TlsHandshakeTest {
  private static final int TIMEOUT_MS = 10_000;

  @TempDir Path certs;

  @ParameterizedTest(name = "{0} with {1} key")
  @CsvSource({"TLSv1.3, RSA", "TLSv1.2, RSA", "TLSv1.3, EC", "TLSv1.2, EC"})
  void clientTrustingTheCertificateCompletesTheHandshake(String protocol, String keyType) throws Exception {
    TlsMaterial material = keyType.equals("RSA")
        ? CertificateStore.loadOrGenerate(certs, Clock.systemUTC())
        : TestKeys.material(TestKeys.server(true, 90));
    try (Server server = new Server(material);
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

  /** Accepts one connection on 127.0.0.1, any port, handshakes and writes one byte. */
  private static final class Server implements AutoCloseable {
    final SSLServerSocket socket;
    private final CompletableFuture<SSLSession> session = new CompletableFuture<>();

    Server(TlsMaterial material) throws IOException {
      SSLContext context = material.sslContext();
      socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
      // What the listeners hand their engines (XNIO options, FtpServer's SslConfiguration).
      socket.setEnabledProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
      socket.setEnabledCipherSuites(TlsPolicy.cipherSuites(context).toArray(String[]::new));
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
