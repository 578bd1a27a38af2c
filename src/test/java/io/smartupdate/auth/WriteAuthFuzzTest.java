package io.smartupdate.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smartupdate.core.Problem;
import io.smartupdate.testing.Samples;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes {@link WriteAuth#precheck} and {@link WriteAuth#verify} with requests written like
 * HTTP/1.1 (ISO-8859-1, as Undertow reads header bytes): {@code METHOD TARGET}, header lines
 * {@code Name: value}, an empty line, the body. In header values {@code $TOKEN} is the server's
 * token and {@code $NOW} the server's clock in unix seconds; an {@code X-SU-Signature} of
 * exactly {@code sign} is replaced by the correct signature, so the fuzzer also produces
 * correctly signed requests. Invariants: nothing but success or a {@link Problem} (unauthorized, or busy when the nonce cache is full);
 * success only with the right bearer token or a correct, in-window, fresh signature; a correctly
 * signed, well-formed request passes exactly once and its replay is refused (bearer requests
 * pass every time). Seeds: {@code
 * src/test/resources/io/smartupdate/auth/WriteAuthFuzzTestInputs/authenticate}.
 */
class WriteAuthFuzzTest {
  private static final String TOKEN = "k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y";
  private static final byte[] KEY = TOKEN.getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  /** The shapes the README documents for the headers. */
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_.~+/=-]{16,128}");
  private static final Pattern SIGNATURE = Pattern.compile("hmac-sha256=([0-9a-fA-F]{64})");

  /** One request as the fuzzer wrote it, with the placeholders replaced. */
  private record Request(String method, String path, String query, List<String[]> headers, byte[] body) {
    HttpServerExchange exchange() {
      HttpServerExchange exchange = new HttpServerExchange(null);
      exchange.setRequestMethod(new HttpString(method));
      exchange.setRequestURI(path);
      exchange.setQueryString(query);
      for (String[] h : headers) exchange.getRequestHeaders().add(new HttpString(h[0]), h[1]);
      return exchange;
    }

    String first(String name) {
      for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
      return null;
    }
  }

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"Authorization: ", "Bearer ", "$TOKEN", "X-SU-Date: ", "$NOW", "X-SU-Nonce: ", "X-SU-Signature: ",
      "sign", "hmac-sha256=", "POST ", "/api/status", "?"})
  // No "\n" entry: Jazzer 0.30.0 writes it unescaped into libFuzzer's dictionary file, which then fails to parse.
  void authenticate(byte[] input) {
    Request request = request(input);
    if (request == null) return;
    WriteAuth auth = WriteAuth.token(TOKEN, Clock.fixed(NOW, ZoneOffset.UTC));

    Problem refusal = attempt(auth, request);
    boolean passed = refusal == null;
    boolean bearer = request.first("Authorization") != null;
    boolean bearerRight = bearer && bearerRight(request.first("Authorization"));
    boolean signatureRight = !bearer && signatureRight(request);
    if (passed) assertTrue(bearerRight || signatureRight, "accepted without the right credentials");
    if (bearerRight) {
      assertTrue(passed, () -> "the right bearer token was refused: " + refusal.detail());
      Problem again = attempt(auth, request);
      assertTrue(again == null, () -> "the right bearer token was refused the second time: " + again.detail());
    }
    if (signatureRight) {
      assertTrue(passed, () -> "a correctly signed request was refused: " + refusal.detail());
      assertThrows(Problem.Unauthorized.class, () -> auth.precheck(request.exchange()), "a replay passed the precheck");
      assertThrows(Problem.Unauthorized.class, () -> auth.verify(request.exchange(), request.body()),
          "a replay was not refused as unauthorized");
    }
  }

  /** Runs the request through the server's two steps; null when both let it through, else the refusal. */
  private static Problem attempt(WriteAuth auth, Request request) {
    try {
      auth.precheck(request.exchange());
      auth.verify(request.exchange(), request.body());
      return null;
    } catch (Problem e) {
      assertTrue(e instanceof Problem.Unauthorized || e instanceof Problem.Busy, () -> e.getClass().getSimpleName() + ": " + e.detail());
      return e;
    }
  }

  private static boolean bearerRight(String authorization) {
    return authorization.regionMatches(true, 0, "Bearer ", 0, 7) && authorization.substring(7).trim().equals(TOKEN);
  }

  /** The request carries a signature of itself with the token, a date within +-300 s, and a nonce of the right shape. */
  private static boolean signatureRight(Request request) {
    String date = request.first("X-SU-Date");
    String nonce = request.first("X-SU-Nonce");
    String signature = request.first("X-SU-Signature");
    if (date == null || nonce == null || signature == null || !date.matches("[0-9]{1,12}")) return false;
    if (Math.abs(Long.parseLong(date) - NOW.getEpochSecond()) > WriteAuth.WINDOW_SECONDS) return false;
    if (!NONCE.matcher(nonce).matches()) return false;
    var hex = SIGNATURE.matcher(signature);
    if (!hex.matches()) return false;
    String target = signedTarget(request.path(), request.query());
    return Arrays.equals(hmac(request.method(), target, date, nonce, request.body()), HexFormat.of().parseHex(hex.group(1)));
  }

  /** HMAC-SHA256 computed here rather than with {@link WriteAuth#sign}, so the check does not trust it. */
  private static byte[] hmac(String method, String target, String date, String nonce, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      String digest = Samples.sha256(body);
      return mac.doFinal((method + "\n" + target + "\n" + date + "\n" + nonce + "\n" + digest).getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Parses the fuzzer's input, or null for inputs no HTTP parser would hand over (no request line, bad names). */
  private static Request request(byte[] input) {
    int split = indexOf(input, new byte[] {'\n', '\n'});
    String head = new String(input, 0, split < 0 ? input.length : split, StandardCharsets.ISO_8859_1);
    byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(input, split + 2, input.length);
    String[] lines = head.split("\n", -1);
    String[] requestLine = lines[0].split(" ", 2);
    if (requestLine.length < 2 || !requestLine[0].matches("[A-Z]{1,16}") || !requestLine[1].startsWith("/")) return null;
    String target = requestLine[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    String now = Long.toString(NOW.getEpochSecond());
    List<String[]> headers = new ArrayList<>();
    String signWith = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) return null;
      String name = lines[i].substring(0, colon);
      if (!name.matches("[A-Za-z0-9-]+")) return null;
      String value = lines[i].substring(colon + 1).trim().replace("$TOKEN", TOKEN).replace("$NOW", now);
      if (name.equalsIgnoreCase("X-SU-Signature") && value.equals("sign")) {
        signWith = name;
        continue;
      }
      headers.add(new String[] {name, value});
    }
    Request request = new Request(requestLine[0], path, query, headers, body);
    if (signWith != null) {
      String date = request.first("X-SU-Date");
      String nonce = request.first("X-SU-Nonce");
      String signed = signedTarget(path, query);
      byte[] signature = WriteAuth.sign(KEY, request.method(), signed, String.valueOf(date), String.valueOf(nonce), body);
      assertArrayEquals(hmac(request.method(), signed, String.valueOf(date), String.valueOf(nonce), body), signature,
          "WriteAuth.sign disagrees with HMAC-SHA256 over METHOD\\nTARGET\\nDATE\\nNONCE\\nhex(sha256(body))");
      headers.add(new String[] {signWith, "hmac-sha256=" + HexFormat.of().formatHex(signature)});
    }
    return request;
  }

  /**
   * TARGET as the README defines it: the path as sent, then '?' and the query only when there is
   * one, without the query's leading '?'s (HTTP parsers, Undertow's among them, drop those and an
   * empty query, so the server cannot see them).
   */
  private static String signedTarget(String path, String query) {
    String q = query.replaceFirst("^\\?+", "");
    return q.isEmpty() ? path : path + "?" + q;
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
