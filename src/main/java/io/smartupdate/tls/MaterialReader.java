package io.smartupdate.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
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

/** Reads certificates and private keys from PEM and PKCS#12 files; every failure names the file. */
final class MaterialReader {
  static final String PASSWORD_HINT = "set SMARTUPDATE_CERT_PASSWORD";
  // Far above any real certificate or PKCS#12 file; stops a mistyped --cert (an ISO image, say) from filling the heap.
  private static final long MAX_FILE_SIZE = 1 << 20;

  /** What one file held: certificates in file order and at most one private key (null if none). */
  record Contents(List<X509Certificate> certificates, PrivateKey key) {}

  private MaterialReader() {}

  static byte[] readFile(Path file, String role) {
    try {
      if (Files.size(file) > MAX_FILE_SIZE) {
        throw new TlsException(role + " " + file + ": " + Files.size(file) + " bytes is too large for a " + role + " file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsException(role + " " + file + ": file not found");
    } catch (AccessDeniedException e) {
      throw new TlsException(role + " " + file + ": permission denied (make it readable by this user)");
    } catch (IOException e) {
      throw new TlsException(role + " " + file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  static boolean looksLikePem(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
  }

  /** Every certificate and the private key in a PEM file; text around the blocks is ignored, as OpenSSL does. */
  static Contents readPem(Path file, String role, byte[] bytes, char[] password) {
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
    return new Contents(List.copyOf(certificates), key);
  }

  /** The first key entry of a PKCS#12 file with its chain. */
  static Contents readPkcs12(Path file, byte[] bytes, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try {
        store.load(new ByteArrayInputStream(bytes), password);
      } catch (IOException e) {
        if (e.getCause() instanceof UnrecoverableKeyException) throw wrongPassword(file, e);
        throw new TlsException("PKCS#12 " + file + ": not a readable PKCS#12 file (" + e.getMessage() + ")", e);
      }
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) continue;
        PrivateKey key = (PrivateKey) store.getKey(alias, password);
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
          throw new TlsException("PKCS#12 " + file + ": key '" + alias + "' has no certificate (export it with its certificate)");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : chain) certificates.add((X509Certificate) certificate);
        return new Contents(List.copyOf(certificates), key);
      }
      throw new TlsException("PKCS#12 " + file + ": no private key entry (export it with -inkey)");
    } catch (UnrecoverableKeyException e) {
      throw wrongPassword(file, e);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new TlsException("PKCS#12 " + file + ": not a readable PKCS#12 file (" + e.getMessage() + ")", e);
    }
  }

  /** Refuses a key that cannot sign for the leaf: the server would fail every handshake. */
  static void requireMatch(PrivateKey key, X509Certificate leaf, Path keyFile, Path certFile) {
    if (!matches(key, leaf.getPublicKey(), keyFile)) {
      throw new TlsException("key " + keyFile + " does not match certificate " + certFile);
    }
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey, Path keyFile) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      case "DSA" -> "SHA256withDSA";
      default -> throw new TlsException("key " + keyFile + ": unsupported key type " + key.getAlgorithm() + " (use RSA or EC)");
    };
    byte[] message = new byte[32];
    new SecureRandom().nextBytes(message);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      return false; // a key of another type or curve than the certificate's
    } catch (NoSuchAlgorithmException e) {
      throw new TlsException("key " + keyFile + ": this JDK cannot use " + key.getAlgorithm() + " keys", e);
    }
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

  private static TlsException wrongPassword(Path file, Exception cause) {
    return new TlsException("PKCS#12 " + file + ": wrong password (" + PASSWORD_HINT + ")", cause);
  }

  private static TlsException wrongPassword(String role, Path file, Exception cause) {
    return new TlsException(role + " " + file + ": wrong password for the encrypted private key (" + PASSWORD_HINT + ")", cause);
  }
}
