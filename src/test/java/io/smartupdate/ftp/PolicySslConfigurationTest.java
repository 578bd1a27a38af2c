package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.tls.HeldCertificate;
import io.smartupdate.tls.TlsMaterial;
import io.smartupdate.tls.TlsPolicy;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.ftpserver.ssl.ClientAuth;
import org.junit.jupiter.api.Test;

class PolicySslConfigurationTest {
  private final SSLContext context = testContext();
  private final PolicySslConfiguration ssl = new PolicySslConfiguration(context);

  @Test
  void offersTheServerPolicyOnly() {
    assertArrayEquals(TlsPolicy.PROTOCOLS.toArray(String[]::new), ssl.getEnabledProtocols());
    assertEquals(TlsPolicy.cipherSuites(context), List.of(ssl.getEnabledCipherSuites()));
    assertTrue(ssl.getEnabledCipherSuites().length > 0);
    assertEquals(ClientAuth.NONE, ssl.getClientAuth());
  }

  @Test
  void authSslAndAuthTlsGetTheSameContext() throws Exception {
    assertSame(context, ssl.getSSLContext());
    assertSame(context, ssl.getSSLContext("SSL"));
    assertSame(context, ssl.getSSLContext("TLS"));
  }

  @Test
  void callersCannotChangeThePolicy() {
    ssl.getEnabledProtocols()[0] = "SSLv3";
    ssl.getEnabledCipherSuites()[0] = "TLS_RSA_WITH_NULL_SHA";
    assertEquals(TlsPolicy.PROTOCOLS.get(0), ssl.getEnabledProtocols()[0]);
    assertEquals(TlsPolicy.cipherSuites(context).get(0), ssl.getEnabledCipherSuites()[0]);
  }

  static SSLContext testContext() {
    HeldCertificate held = HeldCertificate.builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1").build();
    return new TlsMaterial(List.of(held.certificate()), held.keyPair().getPrivate(), "test").sslContext();
  }
}
