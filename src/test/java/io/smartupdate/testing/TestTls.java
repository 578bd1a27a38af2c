package io.smartupdate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Client-side TLS for tests: contexts that trust exactly the certificates given and nothing else. */
public final class TestTls {
  private TestTls() {}

  /** A TLS client context trusting only {@code certificates}. */
  public static SSLContext trusting(Certificate... certificates) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new X509TrustManager[] {trustManager(certificates)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a test SSLContext", e);
    }
  }

  /** A TLS client context trusting only the certificates in a PEM file (a server's leaf first, chain after). */
  public static SSLContext trustingPem(Path pem) throws IOException {
    return trusting(readPem(pem).toArray(Certificate[]::new));
  }

  /** A trust manager for only {@code certificates} (commons-net's FTPS client takes one, not a context). */
  public static X509TrustManager trustManager(Certificate... certificates) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.length; i++) store.setCertificateEntry("trusted-" + i, certificates[i]);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return (X509TrustManager) factory.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a test trust manager", e);
    }
  }

  private static List<Certificate> readPem(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a PEM certificate file: " + pem, e);
    }
  }
}
