package io.smartupdate.tls;

import static io.smartupdate.tls.MaterialReader.PASSWORD_HINT;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM files the JDK cannot read alone (traditional {@code RSA/EC PRIVATE KEY}, encrypted keys), and the
 * errors of any PEM file: a class of its own, so that a start that reads only the usual files never loads Bouncy Castle.
 */
final class BcPemReader {
  private BcPemReader() {}

  /** Every certificate and the private key in a PEM file, of any kind Bouncy Castle reads. */
  static MaterialReader.Contents read(Path file, String role, byte[] bytes, char[] password) {
    List<X509Certificate> certificates = new ArrayList<>();
    PrivateKey key = null;
    // ISO-8859-1 maps every byte to a char, so stray binary cannot make decoding fail.
    try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
          continue;
        }
        PrivateKey found = privateKey(object, file, role, password);
        if (found == null) continue;
        if (key != null) {
          throw new TlsException(role + " " + file + ": more than one private key (keep only the server's key)");
        }
        key = found;
      }
    } catch (IOException | CertificateException | IllegalArgumentException | IllegalStateException e) {
      throw new TlsException(role + " " + file + ": not valid PEM (" + e.getMessage() + ")", e);
    }
    return new MaterialReader.Contents(List.copyOf(certificates), key);
  }

  private static PrivateKey privateKey(Object object, Path file, String role, char[] password) throws IOException {
    // Converted by the JDK's KeyFactory, not BC's, so SunJSSE gets keys of its own classes.
    JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
    if (object instanceof PrivateKeyInfo info) return keys.getPrivateKey(info);
    if (object instanceof PEMKeyPair pair) return keys.getPrivateKey(pair.getPrivateKeyInfo());
    if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      requirePassword(file, role, password);
      try {
        return keys.getPrivateKey(encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password)));
      } catch (PKCSException | OperatorCreationException | IllegalArgumentException | IllegalStateException e) {
        throw wrongPassword(role, file, e);
      }
    }
    if (object instanceof PEMEncryptedKeyPair encrypted) {
      requirePassword(file, role, password);
      try {
        return keys.getPrivateKey(encrypted.decryptKeyPair(
            new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password)).getPrivateKeyInfo());
      } catch (IOException | IllegalArgumentException | IllegalStateException e) {
        throw wrongPassword(role, file, e);
      }
    }
    return null; // EC PARAMETERS, CRLs, public keys: nothing the server needs
  }

  private static void requirePassword(Path file, String role, char[] password) {
    if (password.length == 0) {
      throw new TlsException(role + " " + file + ": private key is encrypted (" + PASSWORD_HINT + ")");
    }
  }

  private static TlsException wrongPassword(String role, Path file, Exception cause) {
    return new TlsException(role + " " + file + ": wrong password for the encrypted private key (" + PASSWORD_HINT + ")", cause);
  }
}
