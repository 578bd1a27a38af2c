package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.testing.TestClock;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server's token rotation: data/token replaced, the old token accepted until its grace ends, then refused. */
class FileTokensTest {
  private static final Duration GRACE = Duration.ofMinutes(15);
  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void rotationWritesANewTokenAndKeepsTheOldOneUntilTheGraceEnds() throws Exception {
    FileTokens tokens = new FileTokens(dir, clock);
    String old = tokens.load().current();
    TokenSet rotated = tokens.rotate(GRACE);
    assertNotEquals(old, rotated.current());
    assertEquals(rotated.current() + "\n", Files.readString(dir.resolve(TokenFile.NAME)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(FileTokens.PREVIOUS))));
    TokenSet loaded = tokens.load();
    assertEquals(rotated.current(), loaded.current());
    assertEquals(old, loaded.previous());
    assertEquals(clock.instant().plus(GRACE), loaded.previousUntil());

    clock.advance(GRACE);
    assertNull(tokens.load().previous(), "the grace is over");
  }

  @Test
  void writesWithTheOldTokenPassDuringTheGraceBothBearerAndSigned() throws Exception {
    FileTokens tokens = new FileTokens(dir, clock);
    String old = tokens.load().current();
    tokens.rotate(GRACE);
    WriteAuth auth = WriteAuth.tokens(tokens::load, clock);
    assertDoesNotThrow(() -> auth.verify(bearer(old), new byte[0]));
    assertDoesNotThrow(() -> auth.verify(bearer(tokens.load().current()), new byte[0]));
    assertDoesNotThrow(() -> auth.verify(signed(old, clock.instant()), new byte[0]));
    clock.advance(GRACE.plusSeconds(1));
    assertThrows(Problem.Unauthorized.class, () -> auth.verify(bearer(old), new byte[0]));
    assertThrows(Problem.Unauthorized.class, () -> auth.verify(signed(old, clock.instant()), new byte[0]));
  }

  @Test
  void aTokenFileDeletedUnderARunningServerIsNotReplacedByANewToken() throws Exception {
    FileTokens tokens = new FileTokens(dir, clock);
    tokens.load();
    Files.delete(dir.resolve(TokenFile.NAME));
    IllegalStateException e = assertThrows(IllegalStateException.class, tokens::load);
    assertTrue(e.getMessage().contains(TokenFile.NAME), e.getMessage());
    assertTrue(Files.notExists(dir.resolve(TokenFile.NAME)), "no new token generated");
  }

  @Test
  void aDamagedPreviousFileIsNamedWithTheFix() throws Exception {
    FileTokens tokens = new FileTokens(dir, clock);
    tokens.load();
    Files.writeString(dir.resolve(FileTokens.PREVIOUS), "only-one-field\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, tokens::load);
    assertTrue(e.getMessage().contains(FileTokens.PREVIOUS) && e.getMessage().contains("delete it"), e.getMessage());
  }

  @Test
  void aTokenSetNeverPrintsItsTokens() {
    String secret = "s".repeat(40);
    assertTrue(!new TokenSet(secret, secret, Instant.EPOCH).toString().contains(secret));
    assertThrows(IllegalArgumentException.class, () -> TokenSet.of("short"));
    assertThrows(IllegalArgumentException.class, () -> new TokenSet(secret, secret, null));
  }

  private static HttpServerExchange bearer(String token) {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.getRequestHeaders().put(new HttpString("Authorization"), "Bearer " + token);
    return exchange;
  }

  private static HttpServerExchange signed(String token, Instant now) {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.setRequestMethod(Methods.POST);
    exchange.setRequestURI("/api/status");
    exchange.setQueryString("");
    String date = Long.toString(now.getEpochSecond());
    String nonce = "nonce-" + System.nanoTime() + "-abcdefgh";
    String signature = HexFormat.of().formatHex(WriteAuth.sign(token.getBytes(StandardCharsets.UTF_8), "POST", "/api/status", date, nonce,
        new byte[0]));
    exchange.getRequestHeaders().put(new HttpString("X-SU-Date"), date);
    exchange.getRequestHeaders().put(new HttpString("X-SU-Nonce"), nonce);
    exchange.getRequestHeaders().put(new HttpString("X-SU-Signature"), "hmac-sha256=" + signature);
    return exchange;
  }
}
