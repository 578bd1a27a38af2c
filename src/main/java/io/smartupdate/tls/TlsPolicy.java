package io.smartupdate.tls;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * Which TLS versions and cipher suites every listener (HTTPS, hand-off, FTPS) offers: TLS 1.3 and
 * TLS 1.2 with forward-secret key exchange and SHA-2 MACs only.
 */
public final class TlsPolicy {
  /** Enabled protocol versions, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final Pattern TLS13 =
      Pattern.compile("TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)");
  // Static-RSA key exchange is left out: it has no forward secrecy.
  private static final Pattern TLS12 = Pattern.compile("TLS_(ECDHE_ECDSA|ECDHE_RSA|DHE_RSA)_WITH_"
      + "(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256|AES_(128|256)_CBC_SHA(256|384))");
  // Redundant with the allow-list above; kept so a loosened pattern can never let these through.
  private static final List<String> NEVER = List.of("RC4", "DES", "EXPORT", "ANON", "NULL", "SCSV", "MD5");

  private TlsPolicy() {}

  /** The suites {@code context} supports that this policy allows, AEAD first, otherwise in the JDK's order. */
  public static List<String> cipherSuites(SSLContext context) {
    Objects.requireNonNull(context, "context == null");
    return filter(context.getSupportedSSLParameters().getCipherSuites());
  }

  /** Restricts {@code engine} to {@link #PROTOCOLS} and the allowed suites, in the server's order. */
  public static void apply(SSLEngine engine) {
    Objects.requireNonNull(engine, "engine == null");
    engine.setSSLParameters(restrict(engine.getSSLParameters(), engine.getSupportedCipherSuites()));
  }

  /** Restricts {@code socket} to {@link #PROTOCOLS} and the allowed suites, in the server's order. */
  public static void apply(SSLServerSocket socket) {
    Objects.requireNonNull(socket, "socket == null");
    socket.setSSLParameters(restrict(socket.getSSLParameters(), socket.getSupportedCipherSuites()));
  }

  /** Whether this policy allows {@code suite} (a standard JSSE name). */
  static boolean allowed(String suite) {
    String upper = suite.toUpperCase(Locale.ROOT);
    if (upper.endsWith("_SHA") || NEVER.stream().anyMatch(upper::contains)) return false;
    return TLS13.matcher(suite).matches() || TLS12.matcher(suite).matches();
  }

  static List<String> filter(String[] supported) {
    // Stable sort: AEAD before CBC, otherwise the provider's own preference order.
    return Arrays.stream(supported)
        .filter(TlsPolicy::allowed)
        .sorted(Comparator.comparing((String suite) -> suite.contains("_CBC_")))
        .toList();
  }

  private static SSLParameters restrict(SSLParameters parameters, String[] supportedSuites) {
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    parameters.setCipherSuites(filter(supportedSuites).toArray(String[]::new));
    // Clients often list CBC or weaker choices first; the server's order should win.
    parameters.setUseCipherSuitesOrder(true);
    return parameters;
  }
}
