package io.smartupdate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.smartupdate.core.NativeLibraries;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Server-side SSLContexts whose engines are BoringSSL (netty-tcnative), so that XNIO and Undertow,
 * which only know {@code javax.net.ssl}, use it unchanged. Engines only: no sockets.
 *
 * <p>The policy is {@link TlsPolicy}'s, as with JSSE: netty sets {@code SSL_OP_NO_TICKET} (no session
 * tickets; TLS 1.2 resumes by session ID from the server's cache, {@link TlsMaterial#SESSION_TIMEOUT_SECONDS})
 * and server cipher order; BoringSSL has no server-side renegotiation at all; its TLS 1.3 suites are
 * fixed (the three AEAD ones the policy allows). No OCSP stapling, unlike JSSE.
 */
final class OpenSslContexts {
  private static final String NETTY_JFR = "io.netty.jfr.enabled";
  private static final Provider PROVIDER = new Provider("SmartUpdateBoringSSL", "1.0",
      "server SSLEngines from netty-tcnative-boringssl-static") {};

  static {
    // Netty's buffer allocator reports to JFR, when JFR is there, by events whose first use sets up JFR's
    // whole event machinery (about a fifth of the HTTPS engine's start); nothing here records them. Set
    // before netty's first class reads it; -Dio.netty.jfr.enabled=true on the command line still wins.
    if (System.getProperty(NETTY_JFR) == null) System.setProperty(NETTY_JFR, "false");
    // Before OpenSsl loads it: netty looks in java.library.path (the launcher puts the start-up
    // cache there) before it unpacks the library into the temp directory, which it does every start.
    NativeLibraries.cached(OpenSslContexts.class.getClassLoader(), "META-INF/native/"
        + System.mapLibraryName("netty_tcnative_" + PlatformDependent.normalizedOs() + "_" + PlatformDependent.normalizedArch()));
  }

  private OpenSslContexts() {}

  /** Whether {@code context} was made here. */
  static boolean isOurs(SSLContext context) {
    return context.getProvider() == PROVIDER;
  }

  /** Null when the native library loaded; the reason it did not otherwise. */
  static Throwable unavailabilityCause() {
    return OpenSsl.isAvailable() ? null : OpenSsl.unavailabilityCause();
  }

  /** A context presenting {@code material} under {@link TlsPolicy}; the native library must be available. */
  static SSLContext server(TlsMaterial material) throws SSLException {
    // JSSE's order (AES-256 first), so that the server's preference is the same on both engines.
    List<String> suites = TlsPolicy.cipherSuites(material.sslContext()).stream()
        .filter(OpenSsl.availableJavaCipherSuites()::contains).toList();
    SslContext netty = SslContextBuilder.forServer(material.key(), material.chain().toArray(X509Certificate[]::new))
        .sslProvider(SslProvider.OPENSSL)
        .protocols(TlsPolicy.PROTOCOLS)
        .ciphers(suites)
        .clientAuth(ClientAuth.NONE)
        .sessionTimeout(TlsMaterial.SESSION_TIMEOUT_SECONDS)
        .keyStoreType(TlsMaterial.IN_MEMORY_STORE) // netty's default, PKCS12, costs two PBKDF2 runs
        .build();
    return new Context(new Spi(netty, suites));
  }

  private static final class Context extends SSLContext {
    Context(Spi spi) {
      super(spi, PROVIDER, "TLS");
    }
  }

  private static final class Spi extends SSLContextSpi {
    private final SslContext netty;
    private final List<String> suites;

    Spi(SslContext netty, List<String> suites) {
      this.netty = netty;
      this.suites = suites;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("already initialised from the server's TLS material");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new AlertFlushingEngine(netty.newEngine(ByteBufAllocator.DEFAULT));
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new AlertFlushingEngine(netty.newEngine(ByteBufAllocator.DEFAULT, host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return netty.sessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return null;
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw new UnsupportedOperationException("BoringSSL contexts make engines only");
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException("BoringSSL contexts make engines only");
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return parameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return parameters();
    }

    private SSLParameters parameters() {
      SSLParameters parameters = new SSLParameters(suites.toArray(String[]::new), TlsPolicy.PROTOCOLS.toArray(String[]::new));
      parameters.setUseCipherSuitesOrder(true);
      return parameters;
    }
  }
}
