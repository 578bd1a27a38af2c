package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldCertificateTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  @Test
  void subjectAlternativeNamesHoldHostNamesAndIpAddresses() throws Exception {
    X509Certificate certificate = HeldCertificate.builder()
        .addSubjectAlternativeName("sum.example.com")
        .addSubjectAlternativeName("*.lab.example")
        .addSubjectAlternativeName("192.0.2.7")
        .addSubjectAlternativeName("fe80::1%eth0")
        .addSubjectAlternativeName("[2001:db8::5]")
        .build()
        .certificate();

    List<String> dnsNames = new ArrayList<>();
    List<InetAddress> addresses = new ArrayList<>();
    for (List<?> name : certificate.getSubjectAlternativeNames()) {
      if ((Integer) name.get(0) == 2) dnsNames.add((String) name.get(1));
      if ((Integer) name.get(0) == 7) addresses.add(InetAddress.getByName((String) name.get(1)));
    }
    assertEquals(List.of("sum.example.com", "*.lab.example"), dnsNames);
    assertEquals(List.of(InetAddress.getByName("192.0.2.7"), InetAddress.getByName("fe80::1"),
        InetAddress.getByName("2001:db8::5")), addresses);
  }

  @Test
  void invalidNamesAreRejectedBeforeTheyReachACertificate() {
    HeldCertificate.Builder builder = HeldCertificate.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.addSubjectAlternativeName("under_score.example"));
    assertThrows(IllegalArgumentException.class, () -> builder.addSubjectAlternativeName("zz:1"));
    assertThrows(IllegalArgumentException.class, () -> builder.addSubjectAlternativeName("1::2::3"));
    assertThrows(IllegalArgumentException.class, () -> builder.addSubjectAlternativeName(""));
  }

  @Test
  void nullAndInvalidArgumentsNameTheArgument() {
    HeldCertificate.Builder builder = HeldCertificate.builder();
    assertEquals("commonName == null", assertThrows(NullPointerException.class, () -> builder.commonName(null)).getMessage());
    assertEquals("name == null",
        assertThrows(NullPointerException.class, () -> builder.addSubjectAlternativeName(null)).getMessage());
    assertEquals("issuer == null", assertThrows(NullPointerException.class, () -> builder.signedBy(null)).getMessage());
    Instant now = Instant.now();
    assertEquals("notAfter == null", assertThrows(NullPointerException.class, () -> builder.validity(now, null)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.validity(now, now.minusSeconds(1)))
        .getMessage().startsWith("notBefore"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.certificateAuthority(-1))
        .getMessage().startsWith("maxPathLen"));
  }

  @Test
  void validityIsRespectedToTheSecond() {
    Instant notBefore = Instant.parse("2030-01-02T03:04:05.678Z");
    Instant notAfter = Instant.parse("2031-06-07T08:09:10Z");
    X509Certificate certificate = HeldCertificate.builder().validity(notBefore, notAfter).build().certificate();

    assertEquals(Instant.parse("2030-01-02T03:04:05Z"), certificate.getNotBefore().toInstant());
    assertEquals(notAfter, certificate.getNotAfter().toInstant());
  }

  @Test
  void rsaServerCertificateMayEncipherKeysAndServeTls() throws Exception {
    X509Certificate certificate = HeldCertificate.builder().commonName("sum").build().certificate();

    boolean[] keyUsage = certificate.getKeyUsage();
    assertTrue(keyUsage[0], "digitalSignature");
    assertTrue(keyUsage[2], "keyEncipherment");
    assertFalse(keyUsage[5], "keyCertSign");
    assertEquals(List.of(SERVER_AUTH), certificate.getExtendedKeyUsage());
    assertEquals(-1, certificate.getBasicConstraints());
    assertTrue(certificate.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.15", "2.5.29.19")));
    assertNotNull(certificate.getExtensionValue("2.5.29.14"), "subjectKeyIdentifier");
    assertEquals("SHA256withRSA", certificate.getSigAlgName());
    assertEquals("CN=sum", certificate.getSubjectX500Principal().getName());
  }

  @Test
  void ecdsaServerCertificateOnlySigns() throws Exception {
    HeldCertificate held = HeldCertificate.builder().ecdsa256().build();
    X509Certificate certificate = held.certificate();

    assertEquals("EC", held.keyPair().getPublic().getAlgorithm());
    assertTrue(certificate.getKeyUsage()[0], "digitalSignature");
    assertFalse(certificate.getKeyUsage()[2], "keyEncipherment");
    assertEquals(List.of(SERVER_AUTH), certificate.getExtendedKeyUsage());
    assertEquals("SHA256withECDSA", certificate.getSigAlgName());
  }

  @Test
  void serialIsRandomPositiveAndOneHundredTwentyEightBits() {
    X509Certificate first = HeldCertificate.builder().ecdsa256().build().certificate();
    X509Certificate second = HeldCertificate.builder().ecdsa256().build().certificate();

    assertEquals(1, first.getSerialNumber().signum());
    assertEquals(128, first.getSerialNumber().bitLength());
    assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
  }

  @Test
  void selfSignedCertificateVerifiesWithItsOwnKey() throws Exception {
    HeldCertificate held = HeldCertificate.builder().commonName("self").build();

    held.certificate().verify(held.keyPair().getPublic());
    assertEquals(held.certificate().getSubjectX500Principal(), held.certificate().getIssuerX500Principal());
  }

  @Test
  void signedByVerifiesAgainstTheIssuerAndValidatesAsAPath() throws Exception {
    HeldCertificate ca = HeldCertificate.builder().commonName("Lab CA").certificateAuthority(0).ecdsa256().build();
    HeldCertificate leaf = HeldCertificate.builder()
        .commonName("sum.lab")
        .addSubjectAlternativeName("sum.lab")
        .signedBy(ca)
        .build();

    leaf.certificate().verify(ca.keyPair().getPublic());
    assertThrows(GeneralSecurityException.class, () -> leaf.certificate().verify(leaf.keyPair().getPublic()));
    assertEquals(ca.certificate().getSubjectX500Principal(), leaf.certificate().getIssuerX500Principal());
    assertEquals(0, ca.certificate().getBasicConstraints());
    assertTrue(ca.certificate().getKeyUsage()[5], "keyCertSign");
    assertEquals("SHA256withECDSA", leaf.certificate().getSigAlgName());

    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf.certificate())), parameters);
  }

  @Test
  void pemRoundTripsThroughTheJdkParsers() throws Exception {
    HeldCertificate held = HeldCertificate.builder().addSubjectAlternativeName("localhost").build();

    String certificatePem = held.certificatePem();
    assertTrue(certificatePem.startsWith("-----BEGIN CERTIFICATE-----\n"));
    assertTrue(certificatePem.endsWith("-----END CERTIFICATE-----\n"));
    assertTrue(certificatePem.lines().allMatch(line -> line.length() <= 64));
    X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(held.certificate(), parsed);

    String keyPem = held.privateKeyPkcs8Pem();
    assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
    String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    assertArrayEquals(held.keyPair().getPrivate().getEncoded(), key.getEncoded());
  }

  @Test
  void defaultsToRsaValidForADayFromNow() {
    Instant before = Instant.now().minusSeconds(1);
    HeldCertificate held = HeldCertificate.builder().build();

    assertEquals("RSA", held.keyPair().getPublic().getAlgorithm());
    Instant notBefore = held.certificate().getNotBefore().toInstant();
    assertFalse(notBefore.isBefore(before));
    assertEquals(Duration.ofDays(1), Duration.between(notBefore, held.certificate().getNotAfter().toInstant()));
  }
}
