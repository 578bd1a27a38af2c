package io.smartupdate.auth;

import io.smartupdate.core.AtomicFiles;
import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The write token in {@code data/token}: generated once (mode 0600), then reused; its value is never logged. */
public final class TokenFile {
  private static final Logger log = LoggerFactory.getLogger(TokenFile.class);
  public static final String NAME = "token";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenFile() {}

  /** Reads the token, generating it on first start; a file that cannot be used is a start-up error. */
  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      if (Files.exists(file)) {
        String token = read(file);
        tighten(file);
        return token;
      }
      String token = generate();
      if (!AtomicFiles.create(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------")) {
        return loadOrCreate(dataDir); // another process won the race: use its token
      }
      log.info("generated the write token in {}", file);
      return token;
    } catch (IOException e) {
      throw new StartupException("cannot use the write token file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the token, never generating one: a running server whose file went away keeps the token it has. */
  public static String load(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      String token = read(file);
      tighten(file);
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("cannot use the write token file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token of a server using {@code dataDir}, for a client on the same machine; null when there
   * is none to read (a server with --insecure-writes, one that has not created it yet, or no access).
   */
  public static String find(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      return Files.exists(file) ? read(file) : null;
    } catch (IOException e) {
      log.debug("cannot read the write token {}: {}", file, e.toString());
      return null;
    }
  }

  private static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (token.length() < TokenSet.MIN_LENGTH) {
      throw new IOException("the token in it is shorter than " + TokenSet.MIN_LENGTH + " characters; delete the file to regenerate it");
    }
    return token;
  }

  /** A new token: 32 random bytes, base64url. */
  public static String generate() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** Replaces the token with {@code token} (mode 0600), as a rotation or a shared store's copy does. */
  public static void write(Path dataDir, String token) {
    Path file = dataDir.resolve(NAME);
    try {
      Files.createDirectories(dataDir);
      AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the write token file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void tighten(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> wanted = PosixFilePermissions.fromString("rw-------");
    if (!permissions.equals(wanted)) {
      Files.setPosixFilePermissions(file, wanted);
      log.warn("write token {} was {}; reset to rw-------", file, PosixFilePermissions.toString(permissions));
    }
  }
}
