package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The suite list by name; what the listeners really accept is TlsListenerIT's and TlsAuditIT's job. */
class TlsPolicyTest {
  @Test
  void offersTls13AndTls12Only() {
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsPolicy.PROTOCOLS);
  }

  @Test
  void jdkSuitesAreFilteredToTls13AndEcdheWithAead() throws Exception {
    List<String> suites = TlsPolicy.cipherSuites(SSLContext.getDefault());

    assertEquals(Set.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), Set.copyOf(suites));
  }

  @Test
  void cbcDheAndStaticRsaSuitesAreRefusedByName() {
    for (String suite : List.of(
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256")) {
      assertFalse(TlsPolicy.allowed(suite), suite);
    }
  }

  @Test
  void brokenSuitesAreRefusedByName() {
    for (String suite : List.of("SSL_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
        "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_NULL_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_SHA256")) {
      assertFalse(TlsPolicy.allowed(suite), suite);
    }
  }

  @Test
  void providerOrderIsTheServersPreference() {
    String[] supported = {
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_AES_256_GCM_SHA384",
      "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
      "TLS_AES_128_GCM_SHA256",
    };

    assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"), TlsPolicy.filter(supported));
  }

  @Test
  void everyAllowedSuiteIsAeadWithForwardSecrecy() throws Exception {
    for (String suite : TlsPolicy.cipherSuites(SSLContext.getDefault())) {
      assertTrue(suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"), suite);
      assertTrue(suite.startsWith("TLS_ECDHE_") || !suite.contains("_WITH_"), suite);
    }
  }
}
