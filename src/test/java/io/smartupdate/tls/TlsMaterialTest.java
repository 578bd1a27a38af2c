package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
  private static final HeldCertificate HELD = TestKeys.server(false, 90);

  @Test
  void fingerprintIsSha256OfTheLeafDerAsColonSeparatedUppercaseHex() throws Exception {
    TlsMaterial material = new TlsMaterial(List.of(HELD.certificate()), HELD.keyPair().getPrivate(), "test");

    StringJoiner expected = new StringJoiner(":");
    for (byte b : MessageDigest.getInstance("SHA-256").digest(HELD.certificate().getEncoded())) {
      expected.add(String.format("%02X", b));
    }
    assertEquals(expected.toString(), material.fingerprint());
    assertTrue(material.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
  }

  @Test
  void fingerprintMatchesOpensslWhenAvailable(@TempDir Path dir) throws Exception {
    Path pem = TestKeys.write(dir.resolve("leaf.pem"), HELD.certificatePem());
    Process openssl = new ProcessBuilder(Tools.require("openssl").toString(), "x509", "-noout",
        "-fingerprint", "-sha256", "-in", pem.toString()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, openssl.exitValue(), output);

    TlsMaterial material = new TlsMaterial(List.of(HELD.certificate()), HELD.keyPair().getPrivate(), "test");
    assertEquals(output.substring(output.indexOf('=') + 1), material.fingerprint());
  }

  @Test
  void compactConstructorNamesTheBadField() {
    var key = HELD.keyPair().getPrivate();
    List<X509Certificate> chain = List.of(HELD.certificate());
    assertEquals("chain == null", assertThrows(NullPointerException.class, () -> new TlsMaterial(null, key, "s")).getMessage());
    assertEquals("key == null", assertThrows(NullPointerException.class, () -> new TlsMaterial(chain, null, "s")).getMessage());
    assertEquals("source == null", assertThrows(NullPointerException.class, () -> new TlsMaterial(chain, key, null)).getMessage());
    assertEquals("chain is empty",
        assertThrows(IllegalArgumentException.class, () -> new TlsMaterial(List.of(), key, "s")).getMessage());
  }

  @Test
  void chainIsCopiedAndImmutable() {
    List<X509Certificate> chain = new ArrayList<>(List.of(HELD.certificate()));
    TlsMaterial material = new TlsMaterial(chain, HELD.keyPair().getPrivate(), "test");
    chain.clear();

    assertEquals(1, material.chain().size());
    assertThrows(UnsupportedOperationException.class, () -> material.chain().clear());
    assertEquals(HELD.certificate().getNotAfter().toInstant(), material.notAfter());
  }

  @Test
  void toStringNeverShowsTheKey() {
    TlsMaterial material = new TlsMaterial(List.of(HELD.certificate()), HELD.keyPair().getPrivate(), "operator /x.pem");

    String text = material.toString();
    assertTrue(text.contains("operator /x.pem"), text);
    assertFalse(text.toLowerCase().contains("exponent") || text.contains("modulus"), text);
  }

  @Test
  void sslContextComesFromTheJdkProvider() {
    SSLContext context = new TlsMaterial(List.of(HELD.certificate()), HELD.keyPair().getPrivate(), "test").sslContext();

    assertEquals("SunJSSE", context.getProvider().getName());
    assertEquals("TLS", context.getProtocol());
  }
}
