package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smartupdate.core.Problem;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one mapping from a feature's Problem to an HTTP status, with the headers each kind promises. */
class HttpErrorsTest {
  @Test
  void eachKindHasItsStatusAndCode() {
    assertEquals(404, HttpErrors.fromProblem(new Problem.NotFound("no x")).status());
    assertEquals(400, HttpErrors.fromProblem(Problem.BadInput.field("node", "is empty")).status());
    assertEquals(401, HttpErrors.fromProblem(new Problem.Unauthorized("no token")).status());
    assertEquals(403, HttpErrors.fromProblem(new Problem.Forbidden("not yours")).status());
    assertEquals(429, HttpErrors.fromProblem(new Problem.TooMany("too_many_streams", "two open", Duration.ofSeconds(10))).status());
    assertEquals(503, HttpErrors.fromProblem(new Problem.Busy("busy", "full", Duration.ofSeconds(5))).status());
    assertEquals(503, HttpErrors.fromProblem(new Problem.Changed("changed", "replaced")).status());
    assertEquals(503, HttpErrors.fromProblem(new Problem.Unavailable("store_unavailable", "down", Duration.ofSeconds(1))).status());
    assertEquals("forbidden", HttpErrors.fromProblem(new Problem.Forbidden("not yours")).error());
    assertEquals("too_many_streams",
        HttpErrors.fromProblem(new Problem.TooMany("too_many_streams", "two open", Duration.ofSeconds(10))).error());
  }

  @Test
  void unauthorizedNamesTheSchemeToUseAndHasNoRetryAfter() {
    ApiError e = HttpErrors.fromProblem(new Problem.Unauthorized("the bearer token does not match"));
    assertEquals(Map.of("WWW-Authenticate", "Bearer realm=\"smartupdate\""), e.headers());
    assertEquals("unauthorized", e.error());
    assertEquals("the bearer token does not match", e.detail());
  }

  @Test
  void retryableKindsCarryRetryAfterInWholeSecondsAtLeastOne() {
    assertEquals("10", HttpErrors.fromProblem(new Problem.TooMany("t", "d", Duration.ofSeconds(10))).headers().get("Retry-After"));
    assertEquals("5", HttpErrors.fromProblem(new Problem.Busy("busy", "d", Duration.ofSeconds(5))).headers().get("Retry-After"));
    assertEquals("1", HttpErrors.fromProblem(new Problem.Busy("busy", "d", Duration.ofMillis(200))).headers().get("Retry-After"));
    assertNull(HttpErrors.fromProblem(new Problem.Forbidden("d")).headers().get("Retry-After"));
  }

  @Test
  void withHeadersKeepsTheErrorsOwnHeaders() {
    ApiError e = HttpErrors.fromProblem(new Problem.Busy("busy", "d", Duration.ofSeconds(2)))
        .withHeaders(Map.of("X-Content-Type-Options", "nosniff"));
    assertEquals(Map.of("Retry-After", "2", "X-Content-Type-Options", "nosniff"), e.headers());
    assertEquals(503, e.status());
  }
}
