package io.smartupdate.auth;

import io.smartupdate.core.Problem;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates writes (status, Redfish events, hand-off, admin): a bearer token, or for plain
 * HTTP an HMAC-SHA256 signature over method, target, date, nonce and body digest, with a
 * +-300 s window and a nonce cache against replays.
 */
public final class WriteAuth {
  public static final long WINDOW_SECONDS = 300;
  /**
   * Signed-request nonces remembered within the window, in 12 MiB at most (NonceCache): past that, new
   * signed writes are refused as busy (503) until the window moves on, never a remembered nonce dropped.
   */
  public static final int MAX_NONCES = 786_432;
  static final String DATE = "X-SU-Date";
  static final String NONCE = "X-SU-Nonce";
  static final String SIGNATURE = "X-SU-Signature";
  private static final Pattern NONCE_SHAPE = Pattern.compile("[A-Za-z0-9_.~+/=-]{16,128}");
  private static final Pattern SIGNATURE_SHAPE = Pattern.compile("hmac-sha256=([0-9a-fA-F]{64})");
  // Per thread, since neither is thread-safe: looking the algorithms up among the providers for every
  // request cost about as much as computing them.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> instance(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Signer> SIGNER = ThreadLocal.withInitial(Signer::new);
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] NEWLINE = {'\n'};
  private static final String HOW = "send 'Authorization: Bearer <token>' (the token is in the server's data/token) or sign "
      + "the request with X-SU-Date, X-SU-Nonce and X-SU-Signature (see the README, or use bin/smartupdate-report)";

  /** Null with --insecure-writes. */
  private final Supplier<TokenSet> token;
  private final Clock clock;
  private final NonceCache nonces;
  private final int nonceCapacity;

  private WriteAuth(Supplier<TokenSet> token, Clock clock, int maxNonces) {
    this.token = token;
    this.clock = clock;
    this.nonces = new NonceCache(maxNonces);
    this.nonceCapacity = maxNonces;
  }

  public static WriteAuth token(String token, Clock clock) {
    return token(token, clock, MAX_NONCES);
  }

  /** As {@link #token(String, Clock)}, remembering at most {@code maxNonces} (tests fill a small cache). */
  static WriteAuth token(String token, Clock clock, int maxNonces) {
    if (token == null || token.isEmpty()) throw new IllegalArgumentException("token is empty");
    TokenSet fixed = TokenSet.of(token);
    return new WriteAuth(() -> fixed, clock, maxNonces);
  }

  /** Writes checked against {@code tokens} as they are at each request (a rotation's old token stays valid through its grace). */
  public static WriteAuth tokens(Supplier<TokenSet> tokens, Clock clock) {
    return new WriteAuth(Objects.requireNonNull(tokens, "tokens"), clock, MAX_NONCES);
  }

  /** --insecure-writes: every write is accepted (labs only). */
  public static WriteAuth insecure() {
    return new WriteAuth(null, Clock.systemUTC(), 1);
  }

  /**
   * Refuses, before the body is read, what can be refused without it: no credentials, a wrong
   * bearer token, or signature headers that are malformed, outside the time window or replayed.
   * Only a signature's match needs the body.
   */
  public void precheck(HttpServerExchange exchange) {
    if (token == null) return;
    String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (authorization != null) {
      checkBearer(authorization);
      return;
    }
    exchange.putAttachment(CHECKED, signed(exchange));
  }

  /** The signature headers, checked in all but the signature itself: their date, nonce and the signature's hex. */
  private Signed signed(HttpServerExchange exchange) {
    String date = exchange.getRequestHeaders().getFirst(DATE);
    String nonce = exchange.getRequestHeaders().getFirst(NONCE);
    String signature = exchange.getRequestHeaders().getFirst(SIGNATURE);
    if (signature == null) throw unauthorized("this write needs authentication: " + HOW);
    if (!isUnixSeconds(date)) throw unauthorized(DATE + " must be the current time in unix seconds");
    if (nonce == null || !NONCE_SHAPE.matcher(nonce).matches()) {
      throw unauthorized(NONCE + " must be 16-128 random characters, new for every request");
    }
    var shape = SIGNATURE_SHAPE.matcher(signature);
    if (!shape.matches()) throw unauthorized(SIGNATURE + " must be 'hmac-sha256=<64 hex digits>'");
    long now = clock.instant().getEpochSecond();
    long sent = Long.parseLong(date);
    if (Math.abs(now - sent) > WINDOW_SECONDS) {
      throw unauthorized(DATE + " is " + (sent - now) + " s from the server's clock (allowed +-" + WINDOW_SECONDS + " s); check NTP");
    }
    if (nonces.seen(nonce, now)) {
      throw unauthorized(NONCE + " was already used: this looks like a replayed request; sign every request anew");
    }
    return new Signed(date, nonce, shape.group(1), now, sent);
  }

  /** 1-12 ASCII digits ({@code String.matches} compiled a regex on every signed request). */
  private static boolean isUnixSeconds(String date) {
    if (date == null || date.isEmpty() || date.length() > 12) return false;
    for (int i = 0; i < date.length(); i++) {
      if (date.charAt(i) < '0' || date.charAt(i) > '9') return false;
    }
    return true;
  }

  private record Signed(String date, String nonce, String hex, long now, long sent) {}

  /** The signature headers as {@link #precheck} found them, for {@link #verify} of the same request. */
  private static final AttachmentKey<Signed> CHECKED = AttachmentKey.create(Signed.class);

  /** Verifies the request's credentials against its body; throws 401 (or 503 when the nonce cache is full). */
  public void verify(HttpServerExchange exchange, byte[] body) {
    if (token == null) return;
    String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (authorization != null) {
      checkBearer(authorization);
      return;
    }
    Signed checked = exchange.getAttachment(CHECKED);
    Signed signed = checked != null ? checked : signed(exchange); // precheck parsed the headers already
    String target = exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
    byte[] presented = HEX.parseHex(signed.hex());
    boolean match = false;
    for (byte[] key : token.get().keys(clock.instant())) {
      match |= MessageDigest.isEqual(sign(key, exchange.getRequestMethod().toString(), target, signed.date(), signed.nonce(), body), presented);
    }
    if (!match) {
      throw unauthorized("signature does not match: sign METHOD\\nTARGET\\nDATE\\nNONCE\\nhex(sha256(body)) with the token "
          + "as HMAC-SHA256 key; TARGET is '" + target + "'");
    }
    switch (nonces.remember(signed.nonce(), signed.now(), signed.sent() + WINDOW_SECONDS + 1)) {
      case REPLAYED:
        throw unauthorized(NONCE + " was already used: this looks like a replayed request; sign every request anew");
      case FULL:
        throw new Problem.Busy("busy", String.format(Locale.ROOT, "too many signed requests in the last %d s: the replay "
            + "cache holds the nonces of %,d and forgets none before its window ends; retry shortly, or send the bearer token",
            WINDOW_SECONDS, nonceCapacity), Duration.ofSeconds(5));
      default:
    }
  }

  /** The signature a client computes; public so tests and tools sign exactly as the server checks. */
  public static byte[] sign(byte[] key, String method, String target, String date, String nonce, byte[] body) {
    byte[] bodyDigest = HEX.formatHex(SHA256.get().digest(body)).getBytes(StandardCharsets.US_ASCII);
    Signer signer = SIGNER.get();
    Mac mac = signer.keyed(key);
    mac.update(method.getBytes(StandardCharsets.UTF_8));
    mac.update(NEWLINE);
    mac.update(target.getBytes(StandardCharsets.UTF_8));
    mac.update(NEWLINE);
    mac.update(date.getBytes(StandardCharsets.UTF_8));
    mac.update(NEWLINE);
    mac.update(nonce.getBytes(StandardCharsets.UTF_8));
    mac.update(NEWLINE);
    return mac.doFinal(bodyDigest);
  }

  /**
   * A thread's HMAC-SHA256 and the key it was last given: a Mac keeps its key after doFinal, and
   * nearly every request is signed with the same token, so it is set again only when it changes.
   */
  private static final class Signer {
    private final Mac mac = instance(() -> Mac.getInstance("HmacSHA256"));
    private byte[] key;

    Mac keyed(byte[] wanted) {
      if (key == null || !MessageDigest.isEqual(key, wanted)) {
        try {
          mac.init(new SecretKeySpec(wanted, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
          key = null;
          throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
        key = wanted.clone();
      }
      return mac;
    }
  }

  private interface Lookup<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T instance(Lookup<T> lookup) {
    try {
      return lookup.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private void checkBearer(String authorization) {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("only 'Authorization: Bearer <token>' is understood; or " + HOW);
    }
    byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!token.get().accepts(presented, clock.instant())) {
      throw unauthorized("the bearer token does not match the one in the server's data/token");
    }
  }

  private static Problem.Unauthorized unauthorized(String detail) {
    return new Problem.Unauthorized(detail);
  }
}
