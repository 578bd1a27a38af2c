package io.smartupdate.redfish;

import io.smartupdate.tls.PemTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** How deploy trusts BMCs: the CAs of {@code --bmc-ca}, or nothing checked with {@code --insecure-bmc}. */
public final class BmcTls {
  private BmcTls() {}

  /** Trusts the PEM certificates in {@code pem} (a CA or the BMCs' own self-signed certificates). */
  public static SSLContext trusting(Path pem) {
    try {
      return PemTrust.context(pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use --bmc-ca " + pem + ": " + e.getMessage());
    }
  }

  /** Trusts any certificate and any name: {@code --insecure-bmc}, an explicit choice the run warns about. */
  public static SSLContext insecure() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a TLS failure is about the BMC's certificate (not trusted, expired, wrong name), as
   * opposed to a connection torn down mid-handshake or mid-record, which is what a resetting BMC does.
   */
  static boolean certificateRefused(SSLException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
          || cause instanceof CertPathBuilderException) {
        return true;
      }
      if (cause.getCause() == cause) break;
    }
    return false;
  }

  /** The failure for a BMC whose certificate is not trusted, with its fingerprint so the operator can decide. */
  static DeployFailure untrusted(Bmc bmc, SSLException e) {
    String fingerprint = fingerprint(bmc);
    return new DeployFailure("BMC " + bmc.address() + " presented a certificate that is not trusted ("
        + (fingerprint == null ? e.getMessage() : "SHA-256 " + fingerprint) + "): pass its CA with --bmc-ca FILE, or --insecure-bmc");
  }

  /** The SHA-256 fingerprint of the BMC's leaf certificate (AA:BB:...), or null when it cannot be read. */
  static String fingerprint(Bmc bmc) {
    int port = bmc.base().getPort() < 0 ? 443 : bmc.base().getPort();
    try (SSLSocket socket = (SSLSocket) insecure().getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(bmc.host(), port), 5000);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())).toUpperCase(Locale.ROOT);
    } catch (IOException | GeneralSecurityException e) {
      return null;
    }
  }

  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
    @Override public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
