package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path certs;

  @Test
  void firstCallGeneratesSelfSignedRsaPairWithOwnerOnlyKey() throws Exception {
    TlsMaterial material = CertificateStore.loadOrGenerate(certs, Clock.systemUTC());

    assertTrue(Files.isRegularFile(certs.resolve("server.crt")));
    assertTrue(Files.readString(certs.resolve("server.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertEquals("RSA", material.key().getAlgorithm());
    assertEquals(2048, ((RSAPublicKey) material.leaf().getPublicKey()).getModulus().bitLength());
    material.leaf().verify(material.leaf().getPublicKey());
    assertEquals("generated " + certs.resolve("server.crt"), material.source());
    Tools.requireThat(Files.getFileStore(certs).supportsFileAttributeView(PosixFileAttributeView.class),
        "the temporary directory's file system has no POSIX permissions to check");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("server.key"))));
    try (Stream<Path> files = Files.list(certs)) {
      assertEquals(Set.of("server.crt", "server.key"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
          "no temporary files left behind");
    }
  }

  @Test
  void generatedCertificateNamesLocalhostAndLoopbackAddresses() throws Exception {
    TlsMaterial material = CertificateStore.loadOrGenerate(certs, Clock.systemUTC());

    Set<String> dnsNames = dnsNames(material);
    Set<InetAddress> addresses = addresses(material);
    assertTrue(dnsNames.contains("localhost"), dnsNames::toString);
    assertTrue(addresses.contains(InetAddress.getByName("127.0.0.1")), addresses::toString);
    assertTrue(addresses.contains(InetAddress.getByName("::1")), addresses::toString);
  }

  @Test
  void generatedCertificateNamesTheHostNameAndEveryNonLoopbackAddress() throws Exception {
    TlsMaterial material = CertificateStore.loadOrGenerate(certs, Clock.systemUTC());
    Set<String> dnsNames = dnsNames(material);
    Set<InetAddress> addresses = addresses(material);
    String host = InetAddress.getLocalHost().getHostName();
    if (host.matches("[A-Za-z0-9.-]+") && !host.matches("[0-9.]+")) {
      assertTrue(dnsNames.contains(host), "the host name " + host + " is a SAN: " + dnsNames);
      assertTrue(material.leaf().getSubjectX500Principal().getName().contains("CN=" + host), material.leaf().getSubjectX500Principal().getName());
    }
    // A BMC reaches the server by one of its LAN addresses; every IPv4 one of an up interface must be named.
    List<InetAddress> lan = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp()) continue;
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) lan.add(address);
      }
    }
    Tools.requireThat(!lan.isEmpty(), "this machine has no non-loopback IPv4 address to check");
    assertTrue(addresses.containsAll(lan), "every LAN address " + lan + " is a SAN: " + addresses);
  }

  @Test
  void generatedCertificateIsValidFromAnHourAgoForAYear() {
    TlsMaterial material = CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertEquals(T0.minus(Duration.ofHours(1)), material.leaf().getNotBefore().toInstant());
    assertEquals(T0.plus(Duration.ofDays(365)), material.notAfter());
  }

  @Test
  void secondCallReusesThePairWithoutRewritingIt() throws Exception {
    TlsMaterial first = CertificateStore.loadOrGenerate(certs, fixed(T0));
    byte[] certBytes = Files.readAllBytes(certs.resolve("server.crt"));
    byte[] keyBytes = Files.readAllBytes(certs.resolve("server.key"));
    var certModified = Files.getLastModifiedTime(certs.resolve("server.crt"));

    TlsMaterial second = CertificateStore.loadOrGenerate(certs, fixed(T0.plus(Duration.ofDays(334))));

    assertEquals(first.fingerprint(), second.fingerprint());
    assertArrayEquals(first.key().getEncoded(), second.key().getEncoded());
    assertArrayEquals(certBytes, Files.readAllBytes(certs.resolve("server.crt")));
    assertArrayEquals(keyBytes, Files.readAllBytes(certs.resolve("server.key")));
    assertEquals(certModified, Files.getLastModifiedTime(certs.resolve("server.crt")));
    assertTrue(Files.notExists(certs.resolve("old")));
  }

  @Test
  void pairWithTenDaysLeftIsRenewedAndTheOldPairKept() throws Exception {
    HeldCertificate expiring = HeldCertificate.builder()
        .commonName("old")
        .validity(T0.minus(Duration.ofDays(355)), T0.plus(Duration.ofDays(10)))
        .build();
    TestKeys.write(certs.resolve("server.crt"), expiring.certificatePem());
    TestKeys.write(certs.resolve("server.key"), expiring.privateKeyPkcs8Pem());

    TlsMaterial renewed = CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertNotEquals(expiring.certificate(), renewed.leaf());
    assertEquals(T0.plus(Duration.ofDays(365)), renewed.notAfter());
    assertEquals(expiring.certificatePem(), Files.readString(certs.resolve("old/server-20260301T120000.crt")));
    assertEquals(expiring.privateKeyPkcs8Pem(), Files.readString(certs.resolve("old/server-20260301T120000.key")));
    assertEquals(renewed.fingerprint(), CertificateStore.loadOrGenerate(certs, fixed(T0)).fingerprint());
  }

  @Test
  void expiredPairIsRenewedAndTheOldPairKept() throws Exception {
    TlsMaterial original = CertificateStore.loadOrGenerate(certs, fixed(T0));
    byte[] originalCert = Files.readAllBytes(certs.resolve("server.crt"));
    Instant later = T0.plus(Duration.ofDays(400));

    TlsMaterial renewed = CertificateStore.loadOrGenerate(certs, fixed(later));

    assertNotEquals(original.fingerprint(), renewed.fingerprint());
    assertEquals(later.plus(Duration.ofDays(365)), renewed.notAfter());
    assertArrayEquals(originalCert, Files.readAllBytes(certs.resolve("old/server-20270405T120000.crt")));
    assertTrue(Files.exists(certs.resolve("old/server-20270405T120000.key")));
  }

  @Test
  void renewalsInTheSameSecondKeepEveryOldPair() throws Exception {
    Instant expired = T0.plus(Duration.ofDays(400));
    CertificateStore.loadOrGenerate(certs, fixed(T0));
    CertificateStore.loadOrGenerate(certs, fixed(expired));
    Files.writeString(certs.resolve("server.crt"), "garbage");

    CertificateStore.loadOrGenerate(certs, fixed(expired));

    assertTrue(Files.exists(certs.resolve("old/server-20270405T120000.crt")));
    assertEquals("garbage", Files.readString(certs.resolve("old/server-20270405T120000-2.crt")));
  }

  @Test
  void corruptCertificateIsReplacedAndKeptUnderOld() throws Exception {
    CertificateStore.loadOrGenerate(certs, fixed(T0));
    Files.writeString(certs.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    TlsMaterial replaced = CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertTrue(Files.readString(certs.resolve("old/server-20260301T120000.crt")).contains("AAAA"));
    assertTrue(Files.exists(certs.resolve("old/server-20260301T120000.key")));
    assertEquals(replaced.fingerprint(), CertificateStore.loadOrGenerate(certs, fixed(T0)).fingerprint());
  }

  @Test
  void keyNotMatchingTheCertificateIsReplaced() throws Exception {
    TlsMaterial original = CertificateStore.loadOrGenerate(certs, fixed(T0));
    Files.writeString(certs.resolve("server.key"), HeldCertificate.builder().build().privateKeyPkcs8Pem());

    TlsMaterial replaced = CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertNotEquals(original.fingerprint(), replaced.fingerprint());
    assertTrue(Files.exists(certs.resolve("old/server-20260301T120000.crt")));
  }

  @Test
  void certificateWithoutKeyIsReplaced() throws Exception {
    TlsMaterial original = CertificateStore.loadOrGenerate(certs, fixed(T0));
    Files.delete(certs.resolve("server.key"));

    TlsMaterial replaced = CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertNotEquals(original.fingerprint(), replaced.fingerprint());
    assertTrue(Files.exists(certs.resolve("old/server-20260301T120000.crt")));
    assertTrue(Files.exists(certs.resolve("server.key")));
  }

  @Test
  void missingCertsDirectoryIsCreated() {
    Path nested = certs.resolve("a/b/certs");

    CertificateStore.loadOrGenerate(nested, Clock.systemUTC());

    assertTrue(Files.isRegularFile(nested.resolve("server.crt")));
  }

  @Test
  void looseKeyPermissionsAreTightenedOnReuse() throws IOException {
    Tools.requireThat(Files.getFileStore(certs).supportsFileAttributeView(PosixFileAttributeView.class),
        "the temporary directory's file system has no POSIX permissions to check");
    CertificateStore.loadOrGenerate(certs, fixed(T0));
    Files.setPosixFilePermissions(certs.resolve("server.key"), PosixFilePermissions.fromString("rw-r--r--"));

    CertificateStore.loadOrGenerate(certs, fixed(T0));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("server.key"))));
  }

  private static Clock fixed(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** The certificate's DNS subject alternative names. */
  private static Set<String> dnsNames(TlsMaterial material) throws Exception {
    Set<String> names = new HashSet<>();
    for (List<?> name : material.leaf().getSubjectAlternativeNames()) {
      if ((Integer) name.get(0) == 2) names.add((String) name.get(1));
    }
    return names;
  }

  /** The certificate's IP-address subject alternative names. */
  private static Set<InetAddress> addresses(TlsMaterial material) throws Exception {
    Set<InetAddress> addresses = new HashSet<>();
    for (List<?> name : material.leaf().getSubjectAlternativeNames()) {
      if ((Integer) name.get(0) == 7) addresses.add(InetAddress.getByName((String) name.get(1)));
    }
    return addresses;
  }
}
