package io.smartupdate.tls;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of the TLS policy that SunJSSE only takes from system properties. They are read once,
 * early, so they are set from {@link TlsMaterial}'s static initialiser: every server-side
 * SSLContext of this process is made by {@link TlsMaterial#sslContext()}, so they are in place
 * before the first one exists. {@code bin/smartupdate} passes the same values on the java command
 * line so that they hold from the first instruction even for code paths that never reach here.
 */
final class JsseProperties {
  private static final Logger log = LoggerFactory.getLogger(JsseProperties.class);

  /**
   * Enforced whatever the command line said: they are the policy, not tuning.
   *
   * <ul>
   *   <li>{@code rejectClientInitiatedRenegotiation}: a TLS 1.2 client could otherwise make the
   *       server do one full handshake after another over a single connection (a CPU DoS that
   *       connection limits do not see). Read into a static final of
   *       {@code sun.security.ssl.ServerHandshakeContext} at the first server handshake.
   *   <li>{@code server.enableSessionTicketExtension=false}: JDK 13+ issues stateless (RFC 5077)
   *       tickets by default: the session's master secret leaves the server, encrypted under a
   *       process-wide key that is kept as long as the tickets it sealed are valid (24 h). Whoever records TLS 1.2
   *       traffic and later gets that key reads every session the tickets covered. With tickets
   *       off, SunJSSE resumes from its server-side cache instead (session IDs in TLS 1.2, PSK
   *       identities that only name a cache entry in TLS 1.3), so secrets never leave the process
   *       and expire with {@link TlsMaterial#SESSION_TIMEOUT_SECONDS}. Resumption still works, which
   *       matters to BMCs that open one connection per request. Read per SSLContext.
   *   <li>{@code server.enableStatusRequestExtension}: OCSP stapling. SunJSSE fetches and staples
   *       a response only when the leaf has an AIA OCSP URL and the client asks; without a URL, or
   *       when the responder cannot be reached, the handshake goes on without a staple. Read per
   *       SSLContext.
   * </ul>
   */
  static final Map<String, String> ENFORCED = Map.of(
      "jdk.tls.rejectClientInitiatedRenegotiation", "true",
      "jdk.tls.server.enableSessionTicketExtension", "false",
      "jdk.tls.server.enableStatusRequestExtension", "true");

  /**
   * Defaults an operator may override with {@code -D}: SunJSSE waits up to 5 s for an OCSP
   * responder inside the handshake; a responder that is down or unreachable (an isolated
   * management network) should cost a client 2 s, not 5, before it gets an unstapled handshake.
   */
  static final Map<String, String> DEFAULTS = Map.of("jdk.tls.stapling.responseTimeout", "2000");

  private JsseProperties() {}

  static synchronized void install() {
    ENFORCED.forEach((name, value) -> {
      String before = System.getProperty(name);
      if (before != null && !before.equalsIgnoreCase(value)) {
        log.warn("ignoring -D{}={}: the TLS policy needs {}", name, before, value);
      }
      System.setProperty(name, value);
    });
    DEFAULTS.forEach((name, value) -> {
      if (System.getProperty(name) == null) System.setProperty(name, value);
    });
  }
}
