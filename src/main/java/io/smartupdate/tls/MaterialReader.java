package io.smartupdate.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
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
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads certificates and private keys from PEM and PKCS#12 files; every failure names the file. */
final class MaterialReader {
  static final String PASSWORD_HINT = "set SMARTUPDATE_CERT_PASSWORD";
  // Far above any real certificate or PKCS#12 file; stops a mistyped --cert (an ISO image, say) from filling the heap.
  private static final long MAX_FILE_SIZE = 1 << 20;
  /** The key types a PKCS#8 block is tried as, the usual first. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "DSA");

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

  /**
   * Every certificate and the private key in a PEM file; text around the blocks is ignored, as OpenSSL does.
   * Certificates and unencrypted PKCS#8 keys (what this server and {@code openssl req -nodes} write) are
   * read by the JDK; anything else (traditional or encrypted keys) by Bouncy Castle, whose signed jars
   * cannot be in the start-up cache: a start that reads only the usual files never loads it.
   */
  static Contents readPem(Path file, String role, byte[] bytes, char[] password) {
    Contents usual = readUsualPem(bytes);
    return usual != null ? usual : BcPemReader.read(file, role, bytes, password);
  }

  /** The certificates and PKCS#8 key of a PEM file read with the JDK alone, or null for anything it does not hold. */
  private static Contents readUsualPem(byte[] bytes) {
    List<Pem.Block> blocks = Pem.decode(new String(bytes, StandardCharsets.ISO_8859_1));
    if (blocks == null) return null;
    List<X509Certificate> certificates = new ArrayList<>();
    PrivateKey key = null;
    try {
      CertificateFactory factory = null;
      for (Pem.Block block : blocks) {
        if (block.type().equals("CERTIFICATE")) {
          if (factory == null) factory = CertificateFactory.getInstance("X.509");
          certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        } else if (block.type().equals("PRIVATE KEY") && key == null) {
          key = pkcs8(block.der());
          if (key == null) return null;
        } else {
          return null;
        }
      }
    } catch (CertificateException | ClassCastException e) {
      return null; // the full reader names what is wrong
    }
    return new Contents(List.copyOf(certificates), key);
  }

  private static PrivateKey pkcs8(byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
        // another algorithm's key
      }
    }
    return null;
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

  private static TlsException wrongPassword(Path file, Exception cause) {
    return new TlsException("PKCS#12 " + file + ": wrong password (" + PASSWORD_HINT + ")", cause);
  }

}
