package io.smartupdate.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A client's TLS context that trusts exactly the certificates of one PEM file: a CA, or a server's own certificate. */
public final class PemTrust {
  private PemTrust() {}

  /** Trusts the certificates in {@code pem}; fails when it cannot be read or holds none. */
  public static SSLContext context(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      Collection<? extends Certificate> certificates;
      try {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      } catch (CertificateException e) {
        throw new CertificateException("it holds no readable PEM certificate (" + e.getMessage() + ")", e);
      }
      if (certificates.isEmpty()) throw new CertificateException("it holds no readable PEM certificate");
      int i = 0;
      for (Certificate certificate : certificates) store.setCertificateEntry("trusted-" + i++, certificate);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    }
  }
}
