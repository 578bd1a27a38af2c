package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files exactly as the openssl command line writes them (skipped where openssl is not installed). */
class OpensslInteropTest {
  private static final char[] PASSWORD = "s3cret".toCharArray();

  @TempDir Path dir;

  @BeforeAll
  static void requireOpenssl() {
    Tools.require("openssl"); // fails under CI=true, skips visibly elsewhere
  }

  @Test
  void reqX509WithPkcs8Key() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "90",
        "-subj", "/CN=localhost");

    assertLoads(CertificateStore.loadOperator(dir.resolve("c.pem"), dir.resolve("k.pem"), null), "c.pem");
  }

  @Test
  void traditionalRsaKeyPlainAndEncrypted() throws Exception {
    openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
    openssl("req", "-new", "-x509", "-key", "rsa.pem", "-out", "c.pem", "-days", "90", "-subj", "/CN=localhost");
    openssl("rsa", "-in", "rsa.pem", "-traditional", "-aes256", "-passout", "pass:s3cret", "-out", "enc.pem");
    assertTrue(Files.readString(dir.resolve("enc.pem")).contains("Proc-Type: 4,ENCRYPTED"));

    assertLoads(CertificateStore.loadOperator(dir.resolve("c.pem"), dir.resolve("rsa.pem"), null), "c.pem");
    assertLoads(CertificateStore.loadOperator(dir.resolve("c.pem"), dir.resolve("enc.pem"), PASSWORD), "c.pem");
  }

  @Test
  void ecparamKeyWithParametersBlock() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    openssl("req", "-new", "-x509", "-key", "ec.pem", "-out", "c.pem", "-days", "90", "-subj", "/CN=localhost");
    assertTrue(Files.readString(dir.resolve("ec.pem")).contains("BEGIN EC PARAMETERS"));

    assertLoads(CertificateStore.loadOperator(dir.resolve("c.pem"), dir.resolve("ec.pem"), null), "c.pem");
  }

  @Test
  void encryptedPkcs8Key() throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem",
        "-out", "c.pem", "-days", "90", "-subj", "/CN=localhost");
    openssl("pkcs8", "-topk8", "-in", "k.pem", "-v2", "aes256", "-passout", "pass:s3cret", "-out", "enc.pem");

    assertLoads(CertificateStore.loadOperator(dir.resolve("c.pem"), dir.resolve("enc.pem"), PASSWORD), "c.pem");
  }

  @Test
  void pkcs12ExportWithAndWithoutPassword() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "90",
        "-subj", "/CN=localhost");
    openssl("pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:s3cret", "-out", "a.p12");
    openssl("pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:", "-out", "open.pfx");

    assertLoads(CertificateStore.loadOperator(dir.resolve("a.p12"), null, PASSWORD), "a.p12");
    assertLoads(CertificateStore.loadOperator(dir.resolve("open.pfx"), null, null), "open.pfx");
  }

  @Test
  void generatedCertificateIsAcceptedByOpenssl() throws Exception {
    TlsMaterial material = CertificateStore.loadOrGenerate(dir.resolve("certs"), Clock.systemUTC());

    String text = openssl("x509", "-in", "certs/server.crt", "-noout", "-ext", "subjectAltName,extendedKeyUsage");
    assertTrue(text.contains("DNS:localhost") && text.contains("IP Address:127.0.0.1")
        && text.contains("IP Address:0:0:0:0:0:0:0:1") && text.contains("TLS Web Server Authentication"), text);
    openssl("pkey", "-in", "certs/server.key", "-noout");
    String fingerprint = openssl("x509", "-in", "certs/server.crt", "-noout", "-fingerprint", "-sha256").trim();
    assertEquals(fingerprint.substring(fingerprint.indexOf('=') + 1), material.fingerprint());
  }

  private void assertLoads(TlsMaterial material, String certName) throws Exception {
    assertEquals("operator " + dir.resolve(certName), material.source());
    material.sslContext();
    String fingerprint = openssl("x509", "-in", "c.pem", "-noout", "-fingerprint", "-sha256").trim();
    assertEquals(fingerprint.substring(fingerprint.indexOf('=') + 1), material.fingerprint());
  }

  private String openssl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl timed out");
    assertEquals(0, process.exitValue(), () -> String.join(" ", command) + ": " + output);
    return output;
  }
}
