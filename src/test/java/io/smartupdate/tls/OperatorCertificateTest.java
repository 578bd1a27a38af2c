package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CertificateStore#loadOperator}: the formats operators bring, and readable refusals. */
class OperatorCertificateTest {
  private static final char[] PASSWORD = "s3cret".toCharArray();

  @TempDir Path dir;

  @Test
  void pemCertificateWithPkcs8RsaKey() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path cert = TestKeys.write(dir.resolve("server.pem"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("server-key.pem"), held.privateKeyPkcs8Pem());

    TlsMaterial material = CertificateStore.loadOperator(cert, key, null);

    assertEquals(List.of(held.certificate()), material.chain());
    assertArrayEquals(held.keyPair().getPrivate().getEncoded(), material.key().getEncoded());
    assertEquals("operator " + cert, material.source());
  }

  @Test
  void pemCertificateWithPkcs1RsaKey() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path cert = TestKeys.write(dir.resolve("server.crt"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("server.key"), TestKeys.pkcs1Pem(held.keyPair().getPrivate()));
    assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

    TlsMaterial material = CertificateStore.loadOperator(cert, key, null);

    assertArrayEquals(held.keyPair().getPrivate().getEncoded(), material.key().getEncoded());
  }

  @Test
  void pemCertificateWithSec1EcKey() throws Exception {
    HeldCertificate held = TestKeys.server(true, 90);
    Path cert = TestKeys.write(dir.resolve("server.crt"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("server.key"), TestKeys.sec1Pem(held.keyPair()));

    TlsMaterial material = CertificateStore.loadOperator(cert, key, null);

    assertEquals("EC", material.key().getAlgorithm());
    assertEquals(held.certificate(), material.leaf());
  }

  @Test
  void leafFollowedByItsCaIsKeptAsTheChain() throws Exception {
    HeldCertificate ca = HeldCertificate.builder().commonName("Lab CA").certificateAuthority(0).build();
    HeldCertificate leaf = HeldCertificate.builder().commonName("sum.lab").addSubjectAlternativeName("sum.lab")
        .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(90))).signedBy(ca).build();
    Path cert = TestKeys.write(dir.resolve("fullchain.pem"),
        "subject=CN = sum.lab\n" + leaf.certificatePem() + "\n" + ca.certificatePem());
    Path key = TestKeys.write(dir.resolve("privkey.pem"), leaf.privateKeyPkcs8Pem());

    TlsMaterial material = CertificateStore.loadOperator(cert, key, null);

    assertEquals(List.of(leaf.certificate(), ca.certificate()), material.chain());
  }

  @Test
  void certificateAndKeyInOneFileNeedNoKeyFile() throws Exception {
    HeldCertificate held = TestKeys.server(true, 90);
    Path both = TestKeys.write(dir.resolve("combined.pem"), held.privateKeyPkcs8Pem() + held.certificatePem());

    TlsMaterial material = CertificateStore.loadOperator(both, null, null);

    assertEquals(held.certificate(), material.leaf());
  }

  @Test
  void encryptedPkcs8KeyOpensWithThePassword() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path cert = TestKeys.write(dir.resolve("server.crt"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("server.key"), TestKeys.encryptedPkcs8Pem(held.keyPair().getPrivate(), PASSWORD));

    assertEquals(held.certificate(), CertificateStore.loadOperator(cert, key, PASSWORD).leaf());
    assertEquals("key " + key + ": private key is encrypted (set SMARTUPDATE_CERT_PASSWORD)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null)).getMessage());
    assertEquals("key " + key + ": wrong password for the encrypted private key (set SMARTUPDATE_CERT_PASSWORD)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, "nope".toCharArray())).getMessage());
  }

  @Test
  void pkcs12OpensWithTheRightPasswordAndBringsItsChain() throws Exception {
    HeldCertificate ca = HeldCertificate.builder().commonName("Lab CA").certificateAuthority(0).ecdsa256().build();
    HeldCertificate leaf = HeldCertificate.builder().addSubjectAlternativeName("localhost").signedBy(ca)
        .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(90))).build();
    Path p12 = TestKeys.pkcs12(dir.resolve("server.p12"), leaf.keyPair().getPrivate(),
        List.of(leaf.certificate(), ca.certificate()), PASSWORD);

    TlsMaterial material = CertificateStore.loadOperator(p12, null, PASSWORD);

    assertEquals(List.of(leaf.certificate(), ca.certificate()), material.chain());
    assertArrayEquals(leaf.keyPair().getPrivate().getEncoded(), material.key().getEncoded());
  }

  @Test
  void pkcs12IsRecognisedByContentWhateverItsName() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path p12 = TestKeys.pkcs12(dir.resolve("server.cert"), held.keyPair().getPrivate(), List.of(held.certificate()), PASSWORD);

    assertEquals(held.certificate(), CertificateStore.loadOperator(p12, null, PASSWORD).leaf());
  }

  @Test
  void pkcs12WithWrongPasswordSaysSo() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path p12 = TestKeys.pkcs12(dir.resolve("server.pfx"), held.keyPair().getPrivate(), List.of(held.certificate()), PASSWORD);

    assertEquals("PKCS#12 " + p12 + ": wrong password (set SMARTUPDATE_CERT_PASSWORD)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(p12, null, "wrong".toCharArray())).getMessage());
    assertEquals("PKCS#12 " + p12 + ": wrong password (set SMARTUPDATE_CERT_PASSWORD)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(p12, null, null)).getMessage());
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    Path cert = TestKeys.write(dir.resolve("a.pem"), TestKeys.server(false, 90).certificatePem());
    Path key = TestKeys.write(dir.resolve("k.pem"), TestKeys.server(false, 90).privateKeyPkcs8Pem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null));

    assertEquals("key " + key + " does not match certificate " + cert, e.getMessage());
  }

  @Test
  void ecKeyForRsaCertificateIsRefused() throws Exception {
    Path cert = TestKeys.write(dir.resolve("a.pem"), TestKeys.server(false, 90).certificatePem());
    Path key = TestKeys.write(dir.resolve("k.pem"), TestKeys.server(true, 90).privateKeyPkcs8Pem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null));

    assertEquals("key " + key + " does not match certificate " + cert, e.getMessage());
  }

  @Test
  void missingFilesAreNamed() throws Exception {
    Path cert = TestKeys.write(dir.resolve("a.pem"), TestKeys.server(false, 90).certificatePem());
    Path absent = dir.resolve("absent.pem");

    assertEquals("certificate " + absent + ": file not found",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(absent, cert, null)).getMessage());
    assertEquals("key " + absent + ": file not found",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, absent, null)).getMessage());
  }

  @Test
  void fileWithoutCertificateSaysWhatWasExpected() throws Exception {
    Path text = TestKeys.write(dir.resolve("a.pem"), "hello, I am not a certificate\n");
    Path keyOnly = TestKeys.write(dir.resolve("key.pem"), TestKeys.server(false, 90).privateKeyPkcs8Pem());

    assertEquals("certificate " + text + ": no certificate found (expected PEM 'BEGIN CERTIFICATE' or a PKCS#12 file)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(text, null, null)).getMessage());
    assertEquals("certificate " + keyOnly + ": no certificate found (expected PEM 'BEGIN CERTIFICATE' or a PKCS#12 file)",
        assertThrows(TlsException.class, () -> CertificateStore.loadOperator(keyOnly, null, null)).getMessage());
  }

  @Test
  void oversizedFileIsRefusedWithoutReadingIt() throws Exception {
    Path huge = dir.resolve("firmware.iso");
    try (var file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(64L << 20);
    }

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(huge, null, null));

    assertTrue(e.getMessage().startsWith("certificate " + huge + ": 67108864 bytes is too large"), e.getMessage());
  }

  @Test
  void certificateWithoutKeyAsksForOne() throws Exception {
    Path cert = TestKeys.write(dir.resolve("a.pem"), TestKeys.server(false, 90).certificatePem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, null, null));

    assertTrue(e.getMessage().startsWith("certificate " + cert + ": no private key found"), e.getMessage());
  }

  @Test
  void keyFileWithoutKeySaysWhichFormatsWork() throws Exception {
    HeldCertificate held = TestKeys.server(false, 90);
    Path cert = TestKeys.write(dir.resolve("a.pem"), held.certificatePem());
    Path notKey = TestKeys.write(dir.resolve("k.pem"), held.certificatePem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, notKey, null));

    assertTrue(e.getMessage().startsWith("key " + notKey + ": no private key found (expected PEM 'BEGIN PRIVATE KEY'"),
        e.getMessage());
  }

  @Test
  void corruptPemIsReportedAsOneLine() throws Exception {
    Path cert = TestKeys.write(dir.resolve("a.pem"), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    Path key = TestKeys.write(dir.resolve("k.pem"), TestKeys.server(false, 90).privateKeyPkcs8Pem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null));

    assertTrue(e.getMessage().startsWith("certificate " + cert + ": "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void expiredCertificateIsRefusedWithItsExpiryDate() throws Exception {
    Instant notAfter = Instant.parse("2026-01-01T00:00:00Z");
    HeldCertificate held = HeldCertificate.builder().validity(notAfter.minus(Duration.ofDays(90)), notAfter).build();
    Path cert = TestKeys.write(dir.resolve("a.pem"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("k.pem"), held.privateKeyPkcs8Pem());
    Clock later = Clock.fixed(notAfter.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null, later));

    assertEquals("certificate " + cert + " expired on 2026-01-01T00:00:00Z", e.getMessage());
  }

  @Test
  void notYetValidCertificateIsRefused() throws Exception {
    Instant start = Instant.now().plus(Duration.ofDays(2));
    HeldCertificate held = HeldCertificate.builder().validity(start, start.plus(Duration.ofDays(90))).build();
    Path cert = TestKeys.write(dir.resolve("a.pem"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("k.pem"), held.privateKeyPkcs8Pem());

    TlsException e = assertThrows(TlsException.class, () -> CertificateStore.loadOperator(cert, key, null));

    assertTrue(e.getMessage().contains("is not valid before"), e.getMessage());
  }

  @Test
  void certificateExpiringSoonIsStillUsed() throws Exception {
    HeldCertificate held = TestKeys.server(false, 5);
    Path cert = TestKeys.write(dir.resolve("a.pem"), held.certificatePem());
    Path key = TestKeys.write(dir.resolve("k.pem"), held.privateKeyPkcs8Pem());

    assertEquals(held.certificate(), CertificateStore.loadOperator(cert, key, null).leaf());
  }
}
