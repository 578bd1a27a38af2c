package io.smartupdate.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchProviderException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's certificate chain (leaf first) and private key, with where they came from
 * ({@code "generated certs/server.crt"}, {@code "operator /etc/sum.pem"}) for log lines.
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, String source) {
  /**
   * How long a server session can be resumed. The cache holds master secrets, so this bounds how
   * far back a memory dump reaches; an hour still covers a BMC's whole update run.
   */
  static final int SESSION_TIMEOUT_SECONDS = 3600;
  /** Key store type of the in-memory stores that hand the key to an engine: its key wrapping costs nothing. */
  static final String IN_MEMORY_STORE = "JKS";

  static {
    // Before any server-side SSLContext exists: SunJSSE reads these once.
    JsseProperties.install();
  }

  public TlsMaterial {
    Objects.requireNonNull(chain, "chain == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(source, "source == null");
    if (chain.isEmpty()) throw new IllegalArgumentException("chain is empty");
    for (X509Certificate certificate : chain) Objects.requireNonNull(certificate, "chain contains null");
    chain = List.copyOf(chain);
  }

  /** The server's own certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** SHA-256 of the leaf's DER as {@code AB:CD:...}, the form {@code openssl x509 -fingerprint -sha256} prints. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (CertificateEncodingException e) {
      throw new TlsException("certificate from " + source + " cannot be encoded: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** When the leaf expires. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /**
   * A new server-side "TLS" context from the JDK's SunJSSE presenting this chain; trust is the JDK
   * default. Listeners restrict it further with {@link TlsPolicy}.
   */
  public SSLContext sslContext() {
    try {
      // The store lives only in memory; its password just satisfies the KeyStore API. JKS, not
      // PKCS12: PKCS12 runs PBKDF2 (10,000 rounds) to wrap the key and again to unwrap it, a
      // quarter of a second of every start for a store no one ever reads.
      char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
      KeyStore store = KeyStore.getInstance(IN_MEMORY_STORE);
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, password);
      SSLContext context = jdkTlsContext();
      context.init(keyManagers.getKeyManagers(), null, null);
      context.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("TLS material from " + source + " is unusable: " + e.getMessage(), e);
    }
  }

  /**
   * The HTTPS and hand-off listeners' context: BoringSSL's engines when they load, else the JDK's
   * ({@link #sslContext()}); see {@link TlsEngines}. FTPS keeps the JDK's: FtpServer needs sockets.
   */
  public SSLContext httpsContext() {
    return TlsEngines.httpsContext(this);
  }

  /** Names the source and the leaf, never the key. */
  @Override
  public String toString() {
    return "TlsMaterial[source=" + source + ", subject=" + leaf().getSubjectX500Principal().getName()
        + ", notAfter=" + notAfter() + ", chain=" + chain.size() + "]";
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static SSLContext jdkTlsContext() throws GeneralSecurityException {
    try {
      return SSLContext.getInstance("TLS", "SunJSSE");
    } catch (NoSuchProviderException e) {
      // A JDK that names its JSSE provider differently; no other JSSE provider is ever installed.
      return SSLContext.getInstance("TLS");
    }
  }
}
