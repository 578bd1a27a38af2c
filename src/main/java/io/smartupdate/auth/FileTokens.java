package io.smartupdate.auth;

import io.smartupdate.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One server's tokens: {@code data/token} as always, and after a rotation {@code data/token.previous}
 * ("TOKEN UNTIL") with the token it replaced and the end of its grace.
 */
public final class FileTokens implements Tokens {
  static final String PREVIOUS = "token.previous";

  private final Path dataDir;
  private final Clock clock;
  private volatile boolean created;

  public FileTokens(Path dataDir, Clock clock) {
    this.dataDir = dataDir;
    this.clock = clock;
  }

  @Override
  public TokenSet load() {
    // Generated at the first load only: a token file deleted under a running server must not silently become a new token.
    String current = created ? TokenFile.load(dataDir) : TokenFile.loadOrCreate(dataDir);
    created = true;
    Path file = dataDir.resolve(PREVIOUS);
    try {
      String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
      if (fields.length != 2) throw new IOException("expected 'TOKEN UNTIL' on one line");
      Instant until = Instant.parse(fields[1]);
      if (!until.isAfter(clock.instant())) return TokenSet.of(current);
      return new TokenSet(current, fields[0], until);
    } catch (NoSuchFileException e) {
      return TokenSet.of(current);
    } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot use " + file + ": " + e.getMessage() + "; delete it to end the old token's grace", e);
    }
  }

  @Override
  public TokenSet rotate(Duration grace) {
    String old = TokenFile.loadOrCreate(dataDir);
    String fresh = TokenFile.generate();
    Instant until = clock.instant().plus(grace);
    Path file = dataDir.resolve(PREVIOUS);
    try {
      // The old token's grace is written before the new token, so no moment accepts neither.
      AtomicFiles.write(file, (old + " " + until + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
    TokenFile.write(dataDir, fresh);
    return new TokenSet(fresh, old, until);
  }

  @Override
  public String where() {
    return dataDir.resolve(TokenFile.NAME).toString();
  }

  @Override
  public void close() {}
}
