package io.smartupdate.tls;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS engine the HTTPS and hand-off listeners get: BoringSSL (netty-tcnative) when its native
 * library loads, which streams about 1.2-1.3x faster than JDK 17's engine (BENCHMARKS §13), else the
 * JDK's; also the JDK's for a certificate that names an OCSP responder (only SunJSSE staples). The
 * system property {@value #PROPERTY} ({@code auto}, {@code openssl}, {@code jsse}) overrides.
 */
public final class TlsEngines {
  /** {@code -Dsmartupdate.tls.engine=auto|openssl|jsse}; auto when absent. */
  public static final String PROPERTY = "smartupdate.tls.engine";

  private static final Logger log = LoggerFactory.getLogger(TlsEngines.class);
  private static final AtomicBoolean fallbackLogged = new AtomicBoolean();
  private static final AtomicBoolean ocspLogged = new AtomicBoolean();

  /** The engines a listener can get. */
  enum Choice { AUTO, OPENSSL, JSSE }

  private TlsEngines() {}

  /** A server context for {@code material} on the engine the property asks for (see the class comment). */
  static SSLContext httpsContext(TlsMaterial material) {
    Choice choice = choice(System.getProperty(PROPERTY));
    return choice == Choice.JSSE ? material.sslContext() : context(material, choice, OpenSslContexts.unavailabilityCause());
  }

  /** {@code missing}: why the native library did not load, null when it did. */
  static SSLContext context(TlsMaterial material, Choice choice, Throwable missing) {
    if (choice == Choice.JSSE) return material.sslContext();
    if (choice == Choice.AUTO && namesOcspResponder(material.leaf())) {
      // Stapling is the README's promise for such certificates, and only SunJSSE staples by itself.
      if (ocspLogged.compareAndSet(false, true)) {
        log.info("HTTPS uses the JDK's TLS engine: the certificate names an OCSP responder and only that engine staples"
            + " (-D{}=openssl: faster, no stapling)", PROPERTY);
      }
      return material.sslContext();
    }
    if (missing != null) {
      if (choice == Choice.OPENSSL) {
        throw new TlsException("-D" + PROPERTY + "=openssl, but BoringSSL (netty-tcnative) cannot load: " + reason(missing), missing);
      }
      if (fallbackLogged.compareAndSet(false, true)) {
        log.warn("HTTPS uses the JDK's TLS engine: BoringSSL (netty-tcnative) cannot load: {}", reason(missing));
      }
      return material.sslContext();
    }
    try {
      return OpenSslContexts.server(material);
    } catch (SSLException | RuntimeException e) {
      throw new TlsException("TLS material from " + material.source() + " is unusable by BoringSSL: " + e.getMessage()
          + " (-D" + PROPERTY + "=jsse uses the JDK's engine)", e);
    }
  }

  /** Whether {@code context}'s engines are BoringSSL's. */
  public static boolean isOpenSsl(SSLContext context) {
    return OpenSslContexts.isOurs(context);
  }

  static Choice choice(String value) {
    if (value == null || value.isBlank()) return Choice.AUTO;
    try {
      return Choice.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TlsException("-D" + PROPERTY + "=" + value + " is not one of auto, openssl, jsse", e);
    }
  }

  /** Whether the certificate's Authority Information Access names an OCSP responder. */
  static boolean namesOcspResponder(X509Certificate leaf) {
    // Most certificates have no such extension; only those that do need Bouncy Castle to read it.
    return leaf.getExtensionValue(AuthorityInfoAccess.OID) != null && AuthorityInfoAccess.namesOcspResponder(leaf);
  }

  private static String reason(Throwable missing) {
    Throwable root = missing;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
