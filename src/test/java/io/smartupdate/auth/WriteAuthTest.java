package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.testing.TestClock;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WriteAuthTest {
  private static final String TOKEN = "k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y";
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final byte[] BODY = "{\"node\":\"a\",\"phase\":\"info\"}".getBytes(StandardCharsets.UTF_8);
  private final WriteAuth auth = WriteAuth.token(TOKEN, Clock.fixed(NOW, ZoneOffset.UTC));

  private static HttpServerExchange request(String... headers) {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.setRequestMethod(Methods.POST);
    exchange.setRequestURI("/api/status");
    exchange.setQueryString("");
    for (int i = 0; i < headers.length; i += 2) exchange.getRequestHeaders().put(new HttpString(headers[i]), headers[i + 1]);
    return exchange;
  }

  private static HttpServerExchange signed(long date, String nonce, byte[] body, String target) {
    String signature = HexFormat.of().formatHex(WriteAuth.sign(TOKEN.getBytes(StandardCharsets.UTF_8), "POST", target,
        Long.toString(date), nonce, body));
    return request("X-SU-Date", Long.toString(date), "X-SU-Nonce", nonce, "X-SU-Signature", "hmac-sha256=" + signature);
  }

  private Problem refused(HttpServerExchange exchange, byte[] body) {
    return assertThrows(Problem.Unauthorized.class, () -> auth.verify(exchange, body));
  }

  @Test
  void bearerTokenIsAccepted() {
    assertDoesNotThrow(() -> auth.precheck(request("Authorization", "Bearer " + TOKEN)));
    assertDoesNotThrow(() -> auth.verify(request("Authorization", "Bearer " + TOKEN), BODY));
  }

  @Test
  void wrongBearerTokenIsRefusedBeforeTheBody() {
    assertThrows(Problem.Unauthorized.class, () -> auth.precheck(request("Authorization", "Bearer nope")));
    assertTrue(refused(request("Authorization", "Basic eDp5"), BODY).detail().contains("Bearer"));
  }

  @Test
  void noCredentialsSaysHowToAuthenticate() {
    Problem e = assertThrows(Problem.Unauthorized.class, () -> auth.precheck(request()));
    assertTrue(e.detail().contains("data/token") && e.detail().contains("X-SU-Signature"), e.detail());
  }

  @Test
  void validSignatureIsAcceptedOnceAndTheReplayRefused() {
    long date = NOW.getEpochSecond() - 100;
    assertDoesNotThrow(() -> auth.verify(signed(date, "0123456789abcdef01", BODY, "/api/status"), BODY));
    assertTrue(refused(signed(date, "0123456789abcdef01", BODY, "/api/status"), BODY).detail().contains("replayed"));
    assertDoesNotThrow(() -> auth.verify(signed(date, "0123456789abcdef02", BODY, "/api/status"), BODY));
  }

  @Test
  void datesOutsideTheWindowAreRefused() {
    String detail = refused(signed(NOW.getEpochSecond() - 301, "aaaaaaaaaaaaaaaa1", BODY, "/api/status"), BODY).detail();
    assertTrue(detail.contains("is -301 s from the server's clock") && detail.contains("NTP"), detail);
    refused(signed(NOW.getEpochSecond() + 301, "aaaaaaaaaaaaaaaa2", BODY, "/api/status"), BODY);
    assertDoesNotThrow(() -> auth.verify(signed(NOW.getEpochSecond() + 300, "aaaaaaaaaaaaaaaa3", BODY, "/api/status"), BODY));
  }

  @Test
  void aReplayIsRefusedForAsLongAsItsDateIsInsideTheWindow() {
    TestClock clock = new TestClock(NOW);
    WriteAuth moving = WriteAuth.token(TOKEN, clock);
    long date = NOW.getEpochSecond();
    assertDoesNotThrow(() -> moving.verify(signed(date, "eeeeeeeeeeeeeeee1", BODY, "/api/status"), BODY));
    clock.set(NOW.plusSeconds(WriteAuth.WINDOW_SECONDS)); // the date's last accepted second
    Problem early = assertThrows(Problem.Unauthorized.class, () -> moving.precheck(signed(date, "eeeeeeeeeeeeeeee1", BODY, "/api/status")));
    assertTrue(early.detail().contains("replayed"), "refused before the body is read: " + early.detail());
    Problem e = assertThrows(Problem.Unauthorized.class, () -> moving.verify(signed(date, "eeeeeeeeeeeeeeee1", BODY, "/api/status"), BODY));
    assertTrue(e.detail().contains("replayed"), e.detail());
  }

  @Test
  void tamperedBodyOrTargetIsRefused() {
    long date = NOW.getEpochSecond();
    byte[] other = "{\"node\":\"b\",\"phase\":\"info\"}".getBytes(StandardCharsets.UTF_8);
    refused(signed(date, "bbbbbbbbbbbbbbbb1", BODY, "/api/status"), other);
    assertTrue(refused(signed(date, "bbbbbbbbbbbbbbbb2", BODY, "/redfish/events"), BODY).detail().contains("TARGET is '/api/status'"));
  }

  @Test
  void aRefusedSignatureDoesNotBurnItsNonce() {
    long date = NOW.getEpochSecond();
    refused(signed(date, "cccccccccccccccc1", BODY, "/elsewhere"), BODY);
    assertDoesNotThrow(() -> auth.verify(signed(date, "cccccccccccccccc1", BODY, "/api/status"), BODY));
  }

  @Test
  void malformedSignatureHeadersAreRefusedWithTheReason() {
    long date = NOW.getEpochSecond();
    assertTrue(refused(signed(date, "short", BODY, "/api/status"), BODY).detail().contains("16-128"));
    HttpServerExchange badSignature = request("X-SU-Date", Long.toString(date), "X-SU-Nonce", "dddddddddddddddd1",
        "X-SU-Signature", "sha1=abc");
    assertTrue(refused(badSignature, BODY).detail().contains("hmac-sha256="));
    HttpServerExchange badDate = request("X-SU-Date", "yesterday", "X-SU-Nonce", "dddddddddddddddd2",
        "X-SU-Signature", "hmac-sha256=" + "0".repeat(64));
    assertTrue(refused(badDate, BODY).detail().contains("unix seconds"));
  }

  @Test
  void insecureModeAcceptsEverything() {
    WriteAuth insecure = WriteAuth.insecure();
    assertDoesNotThrow(() -> insecure.precheck(request()));
    assertDoesNotThrow(() -> insecure.verify(request(), BODY));
  }

  @Test
  void aFullNonceCacheRefusesSignedWritesAsBusyWithRetryAfterNotAsUnauthorized() {
    WriteAuth small = WriteAuth.token(TOKEN, Clock.fixed(NOW, ZoneOffset.UTC), 2);
    long date = NOW.getEpochSecond();
    assertDoesNotThrow(() -> small.verify(signed(date, "ffffffffffffffff1", BODY, "/api/status"), BODY));
    assertDoesNotThrow(() -> small.verify(signed(date, "ffffffffffffffff2", BODY, "/api/status"), BODY));
    Problem.Busy busy = assertThrows(Problem.Busy.class, () -> small.verify(signed(date, "ffffffffffffffff3", BODY, "/api/status"), BODY));
    assertEquals("busy", busy.code());
    assertEquals(Duration.ofSeconds(5), busy.retryAfter());
    assertTrue(busy.getMessage().contains("too many signed requests in the last " + WriteAuth.WINDOW_SECONDS + " s"), busy.getMessage());
    assertTrue(busy.getMessage().contains("forgets none before its window ends"), busy.getMessage());
    // A full cache still refuses a replay as such: nothing was dropped to make room.
    Problem.Unauthorized replay = assertThrows(Problem.Unauthorized.class,
        () -> small.verify(signed(date, "ffffffffffffffff1", BODY, "/api/status"), BODY));
    assertTrue(replay.getMessage().contains("already used"), replay.getMessage());
    // A bearer token needs no nonce: it still passes while the cache is full.
    assertDoesNotThrow(() -> small.verify(request("Authorization", "Bearer " + TOKEN), BODY));
  }

  @Test
  void nonceCacheIsBoundedAndForgetsExpiredNonces() {
    NonceCache cache = new NonceCache(2);
    assertEquals(NonceCache.Result.FRESH, cache.remember("a", 100, 200));
    assertEquals(NonceCache.Result.REPLAYED, cache.remember("a", 100, 200));
    assertEquals(NonceCache.Result.FRESH, cache.remember("b", 100, 200));
    assertEquals(NonceCache.Result.FULL, cache.remember("c", 100, 200));
    assertEquals(NonceCache.Result.FRESH, cache.remember("c", 201, 400), "expired entries are purged");
  }
}
