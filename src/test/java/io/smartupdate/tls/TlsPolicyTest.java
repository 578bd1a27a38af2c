package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {
  @Test
  void offersTls13AndTls12Only() {
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsPolicy.PROTOCOLS);
  }

  @Test
  void jdkSuitesAreFilteredToForwardSecretAeadOrSha2() throws Exception {
    List<String> suites = TlsPolicy.cipherSuites(SSLContext.getDefault());

    assertTrue(suites.containsAll(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")), suites::toString);
    for (String suite : suites) {
      assertFalse(suite.matches(".*(RC4|DES|EXPORT|anon|NULL|SCSV|MD5).*"), suite);
      assertFalse(suite.endsWith("_SHA"), suite);
      assertTrue(suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_RSA_") || !suite.contains("_WITH_"), suite);
    }
  }

  @Test
  void weakSuitesAreRefusedByName() {
    for (String suite : List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "SSL_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        "SSL_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_NULL_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_AES_128_CCM_8_SHA256")) {
      assertFalse(TlsPolicy.allowed(suite), suite);
    }
  }

  @Test
  void aeadSuitesComeFirstOtherwiseTheProviderOrderIsKept() {
    String[] supported = {
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_AES_128_GCM_SHA256",
    };

    assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
        TlsPolicy.filter(supported));
  }

  @Test
  void applyRestrictsAnEngineAndPrefersTheServerOrder() throws Exception {
    SSLContext context = TestKeys.material(TestKeys.server(false, 30)).sslContext();
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);

    TlsPolicy.apply(engine);

    assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
    assertEquals(TlsPolicy.cipherSuites(context), List.of(engine.getEnabledCipherSuites()));
    assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
  }
}
