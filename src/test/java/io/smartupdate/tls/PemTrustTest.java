package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PemTrustTest {
  @TempDir Path dir;

  @Test
  void aFileWithoutACertificateIsRefusedSayingSo() throws Exception {
    Path pem = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    GeneralSecurityException refused = assertThrows(GeneralSecurityException.class, () -> PemTrust.context(pem));
    assertTrue(refused.getMessage().contains("holds no readable PEM certificate"), refused.getMessage());
  }

  @Test
  void aServerChainingToTheFilesCaIsTrustedAndAStrangerIsNot() throws Exception {
    HeldCertificate ca = HeldCertificate.builder().commonName("test CA").ecdsa256().certificateAuthority(0).build();
    HeldCertificate leaf = HeldCertificate.builder().commonName("bmc").addSubjectAlternativeName("localhost").ecdsa256().signedBy(ca).build();
    HeldCertificate stranger = HeldCertificate.builder().commonName("bmc").addSubjectAlternativeName("localhost").ecdsa256().build();
    SSLContext client = PemTrust.context(Files.writeString(dir.resolve("ca.pem"), ca.certificatePem()));

    assertEquals("TLSv1.3", handshake(client, leaf, ca));
    assertThrows(SSLHandshakeException.class, () -> handshake(client, stranger, stranger));
  }

  /** One handshake against a server presenting {@code leaf} (with {@code issuer}); the protocol agreed. */
  private static String handshake(SSLContext client, HeldCertificate leaf, HeldCertificate issuer) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    Certificate[] chain = leaf == issuer ? new Certificate[] {leaf.certificate()} : new Certificate[] {leaf.certificate(), issuer.certificate()};
    keys.setKeyEntry("server", leaf.keyPair().getPrivate(), "pw".toCharArray(), chain);
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, "pw".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(factory.getKeyManagers(), null, null);
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.startHandshake();
        } catch (Exception ignored) { // the client's refusal ends the server's side too
        }
      });
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket.getSession().getProtocol();
      } finally {
        accepted.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
