package io.smartupdate.tls;

import io.smartupdate.core.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity: the operator's certificate ({@code --cert/--key}) or one generated
 * into {@code certs/} and renewed before it runs out.
 */
public final class CertificateStore {
  private static final Logger log = LoggerFactory.getLogger(CertificateStore.class);
  static final String CERT_FILE = "server.crt";
  static final String KEY_FILE = "server.key";
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  static final Duration LIFETIME = Duration.ofDays(365);
  // Starting an hour back keeps the certificate valid for clients whose clocks run a little slow.
  static final Duration BACKDATE = Duration.ofHours(1);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private CertificateStore() {}

  /**
   * The generated pair in {@code certsDir} ({@code server.crt}, {@code server.key}), creating it if
   * absent and replacing it (old files kept under {@code old/}) if corrupt or within 30 days of expiry.
   */
  public static TlsMaterial loadOrGenerate(Path certsDir, Clock clock) {
    Objects.requireNonNull(certsDir, "certsDir == null");
    Objects.requireNonNull(clock, "clock == null");
    Path certFile = certsDir.resolve(CERT_FILE);
    Path keyFile = certsDir.resolve(KEY_FILE);
    Instant now = clock.instant();
    try {
      Files.createDirectories(certsDir);
      if (!Files.exists(certFile) && !Files.exists(keyFile)) {
        log.info("No TLS certificate in {}; generating a self-signed one", certsDir);
        return generate(certFile, keyFile, now);
      }
      try {
        TlsMaterial material = readGenerated(certFile, keyFile);
        String reason = renewalReason(material.leaf(), now);
        if (reason == null) {
          tightenKeyPermissions(keyFile);
          logInUse("Reusing", material, certFile, keyFile);
          return material;
        }
        if (now.isBefore(material.notAfter())) {
          log.info("TLS certificate {} {}; renewing it", certFile, reason);
        } else {
          log.warn("TLS certificate {} {}; renewing it", certFile, reason);
        }
      } catch (TlsException e) {
        log.warn("TLS certificate in {} is unusable: {}; generating a new one", certsDir, e.getMessage());
      }
      moveAside(certsDir, certFile, keyFile, now);
      return generate(certFile, keyFile, now);
    } catch (IOException e) {
      throw new TlsException("certs directory " + certsDir + ": cannot update ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check its permissions or pass --certs DIR", e);
    }
  }

  /**
   * The operator's certificate: PEM {@code certFile} (leaf first, then the chain) with PEM
   * {@code keyFile}, or, when {@code keyFile} is null, a PKCS#12 file or one PEM holding both.
   * {@code password} (null = none) decrypts the PKCS#12 file or an encrypted key.
   */
  public static TlsMaterial loadOperator(Path certFile, Path keyFile, char[] password) {
    return loadOperator(certFile, keyFile, password, Clock.systemUTC());
  }

  /** As {@link #loadOperator(Path, Path, char[])}, judging the validity dates by {@code clock}. */
  public static TlsMaterial loadOperator(Path certFile, Path keyFile, char[] password, Clock clock) {
    Objects.requireNonNull(certFile, "certFile == null");
    char[] secret = password != null ? password : new char[0];
    byte[] certBytes = MaterialReader.readFile(certFile, "certificate");
    MaterialReader.Contents contents;
    Path keySource = keyFile != null ? keyFile : certFile;
    if (keyFile == null && (isPkcs12Name(certFile) || !MaterialReader.looksLikePem(certBytes))) {
      if (!isPkcs12Name(certFile) && !looksLikeDer(certBytes)) throw noCertificate(certFile, " or a PKCS#12 file");
      contents = MaterialReader.readPkcs12(certFile, certBytes, secret);
    } else {
      contents = MaterialReader.readPem(certFile, "certificate", certBytes, secret);
      if (contents.certificates().isEmpty()) {
        String expected = keyFile == null ? " or a PKCS#12 file"
            : MaterialReader.looksLikePem(certBytes) ? "" : "; for a PKCS#12 file omit --key";
        throw noCertificate(certFile, expected);
      }
      if (keyFile != null) {
        MaterialReader.Contents key = MaterialReader.readPem(
            keyFile, "key", MaterialReader.readFile(keyFile, "key"), secret);
        if (key.key() == null) {
          throw new TlsException("key " + keyFile + ": no private key found (expected PEM 'BEGIN PRIVATE KEY',"
              + " 'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY')");
        }
        contents = new MaterialReader.Contents(contents.certificates(), key.key());
      } else if (contents.key() == null) {
        throw new TlsException("certificate " + certFile + ": no private key found (pass --key FILE,"
            + " or append the PEM private key to this file)");
      }
    }
    X509Certificate leaf = contents.certificates().get(0);
    MaterialReader.requireMatch(contents.key(), leaf, keySource, certFile);
    Instant now = clock.instant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (!now.isBefore(notAfter)) throw new TlsException("certificate " + certFile + " expired on " + notAfter);
    Instant notBefore = leaf.getNotBefore().toInstant();
    if (now.isBefore(notBefore)) {
      throw new TlsException("certificate " + certFile + " is not valid before " + notBefore + " (check the system clock)");
    }
    if (!now.plus(RENEW_BEFORE).isBefore(notAfter)) {
      log.warn("TLS certificate {} expires on {}; replace it soon", certFile, notAfter);
    }
    TlsMaterial material = new TlsMaterial(contents.certificates(), contents.key(), "operator " + certFile);
    logInUse("Using operator", material, certFile, keySource);
    return material;
  }

  private static TlsMaterial readGenerated(Path certFile, Path keyFile) {
    char[] noPassword = new char[0];
    List<X509Certificate> certificates = MaterialReader.readPem(
        certFile, "certificate", MaterialReader.readFile(certFile, "certificate"), noPassword).certificates();
    if (certificates.isEmpty()) throw noCertificate(certFile, "");
    MaterialReader.Contents key = MaterialReader.readPem(
        keyFile, "key", MaterialReader.readFile(keyFile, "key"), noPassword);
    if (key.key() == null) throw new TlsException("key " + keyFile + ": no private key found");
    MaterialReader.requireMatch(key.key(), certificates.get(0), keyFile, certFile);
    return new TlsMaterial(certificates, key.key(), "reused self-signed " + certFile);
  }

  /** Why the generated certificate must be replaced now, or null if it is good for 30 days more. */
  private static String renewalReason(X509Certificate leaf, Instant now) {
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (!now.isBefore(notAfter)) return "expired on " + notAfter;
    // A clock set back since generation: clients would reject the certificate as not yet valid.
    if (now.isBefore(leaf.getNotBefore().toInstant())) return "is not valid before " + leaf.getNotBefore().toInstant();
    if (!now.plus(RENEW_BEFORE).isBefore(notAfter)) return "expires on " + notAfter + ", within " + RENEW_BEFORE.toDays() + " days";
    return null;
  }

  private static TlsMaterial generate(Path certFile, Path keyFile, Instant now) throws IOException {
    HeldCertificate.Builder builder = HeldCertificate.builder()
        .commonName(LocalNames.hostName())
        .validity(now.minus(BACKDATE), now.plus(LIFETIME))
        .rsa2048();
    for (String name : LocalNames.all()) {
      try {
        builder.addSubjectAlternativeName(name);
      } catch (IllegalArgumentException e) {
        // e.g. a host name with '_': clients could not match it anyway, and the JDK would refuse the certificate.
        log.debug("Leaving {} out of the certificate: {}", name, e.getMessage());
      }
    }
    HeldCertificate held = builder.build();
    // Key first: a crash between the two writes leaves a key without a certificate, which is regenerated.
    writeAtomically(keyFile, held.privateKeyPkcs8Pem(), OWNER_ONLY);
    writeAtomically(certFile, held.certificatePem(), WORLD_READABLE);
    TlsMaterial material = new TlsMaterial(List.of(held.certificate()), held.keyPair().getPrivate(), "generated " + certFile);
    logInUse("Generated", material, certFile, keyFile);
    return material;
  }

  /** Keeps the replaced pair as {@code old/server-<UTC time>.crt/.key} so nothing an operator relied on is lost. */
  private static void moveAside(Path certsDir, Path certFile, Path keyFile, Instant now) throws IOException {
    Path oldDir = certsDir.resolve("old");
    Files.createDirectories(oldDir);
    if (isPosix(oldDir)) Files.setPosixFilePermissions(oldDir, PosixFilePermissions.fromString("rwx------"));
    String base = "server-" + STAMP.format(now);
    String name = base;
    for (int n = 2; Files.exists(oldDir.resolve(name + ".crt")) || Files.exists(oldDir.resolve(name + ".key")); n++) {
      name = base + "-" + n;
    }
    for (Path file : List.of(certFile, keyFile)) {
      if (!Files.exists(file)) continue;
      String extension = file.equals(certFile) ? ".crt" : ".key";
      Path target = oldDir.resolve(name + extension);
      Files.move(file, target);
      log.info("Kept previous {} as {}", file, target);
    }
  }

  /** Write to a temporary file in the same directory, then rename: readers see the old or the new file, never half of one. */
  private static void writeAtomically(Path target, String text, Set<PosixFilePermission> permissions) throws IOException {
    AtomicFiles.write(target, text.getBytes(StandardCharsets.US_ASCII), PosixFilePermissions.toString(permissions));
  }

  private static void tightenKeyPermissions(Path keyFile) throws IOException {
    if (!isPosix(keyFile.toAbsolutePath().getParent())) return;
    Set<PosixFilePermission> current = Files.getPosixFilePermissions(keyFile);
    if (!current.equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(keyFile, OWNER_ONLY);
      log.warn("Key {} was {}; reset to rw-------", keyFile, PosixFilePermissions.toString(current));
    }
  }

  private static void logInUse(String verb, TlsMaterial material, Path certFile, Path keyFile) {
    log.info("{} TLS certificate {} (key {}), valid until {}, SHA-256 fingerprint {}",
        verb, certFile, keyFile, material.notAfter(), material.fingerprint());
  }

  private static boolean isPosix(Path dir) throws IOException {
    return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
  }

  private static boolean isPkcs12Name(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".p12") || name.endsWith(".pfx");
  }

  // PKCS#12 is a DER SEQUENCE; anything else without a PEM header is not a certificate file at all.
  private static boolean looksLikeDer(byte[] bytes) {
    return bytes.length > 1 && bytes[0] == 0x30;
  }

  private static TlsException noCertificate(Path certFile, String expected) {
    return new TlsException("certificate " + certFile + ": no certificate found (expected PEM 'BEGIN CERTIFICATE'" + expected + ")");
  }
}
