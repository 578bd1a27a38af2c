package io.smartupdate.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Which TLS versions and cipher suites every listener (HTTPS, hand-off, FTPS) offers: TLS 1.3, and
 * TLS 1.2 with ECDHE key exchange and AEAD ciphers (AES-GCM, ChaCha20-Poly1305) only.
 *
 * <p>The listeners hand {@link #PROTOCOLS} and {@link #cipherSuites} to their engines (XNIO's
 * {@code SSL_ENABLED_*} options for HTTPS, {@code SslConfiguration} for FTPS). The server's order
 * wins over the client's because SunJSSE defaults {@code SSLParameters.useCipherSuitesOrder} to
 * true on the server side (JDK 13+) and neither XNIO nor FtpServer changes it; TlsAuditIT checks
 * that. The rest of the policy (renegotiation, session tickets, OCSP stapling) can only be set as
 * system properties: see {@link JsseProperties}.
 */
public final class TlsPolicy {
  /** Enabled protocol versions, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final Pattern TLS13 =
      Pattern.compile("TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)");
  // ECDHE only: static RSA has no forward secrecy; finite-field DHE is what the README does not
  // promise, costs the server several times the CPU of ECDHE per handshake, and no TLS 1.2 client
  // we serve lacks ECDHE. AEAD only: TLS 1.2 CBC suites are MAC-then-encrypt, the padding-oracle
  // family (LUCKY13) that testssl.sh flags.
  private static final Pattern TLS12 = Pattern.compile(
      "TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");
  // Redundant with the allow-lists above; kept so a loosened pattern can never let these through.
  private static final List<String> NEVER = List.of("_CBC_", "TLS_DHE_", "TLS_DH_", "TLS_RSA_", "TLS_ECDH_",
      "RC4", "DES", "EXPORT", "ANON", "NULL", "SCSV", "MD5", "CCM");

  private TlsPolicy() {}

  /** The suites {@code context} supports that this policy allows, in the provider's preference order. */
  public static List<String> cipherSuites(SSLContext context) {
    Objects.requireNonNull(context, "context == null");
    return filter(context.getSupportedSSLParameters().getCipherSuites());
  }

  /** Whether this policy allows {@code suite} (a standard JSSE name). */
  static boolean allowed(String suite) {
    String upper = suite.toUpperCase(Locale.ROOT);
    if (NEVER.stream().anyMatch(upper::contains)) return false;
    return TLS13.matcher(suite).matches() || TLS12.matcher(suite).matches();
  }

  // SunJSSE lists its suites strongest first (AES-256 before AES-128, TLS 1.3 first); that order is
  // the server's preference, so it is kept.
  static List<String> filter(String[] supported) {
    return Arrays.stream(supported).filter(TlsPolicy::allowed).toList();
  }
}
