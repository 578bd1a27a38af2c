package io.smartupdate.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Writes keys and certificates in the formats operators bring (OpenSSL PEM flavours, PKCS#12). */
final class TestKeys {
  private TestKeys() {}

  /** A server certificate for 127.0.0.1/localhost valid from an hour ago for {@code days}. */
  static HeldCertificate server(boolean ecdsa, long days) {
    Instant now = Instant.now();
    HeldCertificate.Builder builder = HeldCertificate.builder()
        .commonName("localhost")
        .addSubjectAlternativeName("localhost")
        .addSubjectAlternativeName("127.0.0.1")
        .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(days)));
    return (ecdsa ? builder.ecdsa256() : builder.rsa2048()).build();
  }

  static TlsMaterial material(HeldCertificate held) {
    return new TlsMaterial(List.of(held.certificate()), held.keyPair().getPrivate(), "test " + held.certificate().getSubjectX500Principal());
  }

  static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text);
  }

  /** OpenSSL's traditional RSA form, {@code BEGIN RSA PRIVATE KEY}. */
  static String pkcs1Pem(PrivateKey rsaKey) throws IOException {
    byte[] pkcs1 = PrivateKeyInfo.getInstance(rsaKey.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    return Pem.encode("RSA PRIVATE KEY", pkcs1);
  }

  /** OpenSSL's traditional EC form, {@code BEGIN EC PRIVATE KEY}, with the curve and public key as OpenSSL writes them. */
  static String sec1Pem(KeyPair ecKeys) throws IOException {
    SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(ecKeys.getPublic().getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
        256, ((ECPrivateKey) ecKeys.getPrivate()).getS(), publicInfo.getPublicKeyData(),
        publicInfo.getAlgorithm().getParameters());
    return Pem.encode("EC PRIVATE KEY", sec1.getEncoded());
  }

  /** {@code BEGIN ENCRYPTED PRIVATE KEY}, as {@code openssl pkcs8 -topk8 -v2 aes256} writes it. */
  static String encryptedPkcs8Pem(PrivateKey key, char[] password) throws Exception {
    var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
        .setProvider(new BouncyCastleProvider())
        .setPassword(password)
        .build();
    PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
    return Pem.encode(pem.getType(), pem.getContent());
  }

  /** A PKCS#12 file with one key entry, as {@code openssl pkcs12 -export} writes it. */
  static Path pkcs12(Path file, PrivateKey key, List<X509Certificate> chain, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }
}
