package io.smartupdate.http;

import io.smartupdate.core.Problem;
import io.smartupdate.core.RateLimitedLog;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The one place where anything a handler throws becomes an answer: features' {@link Problem}s get
 * their status code, {@link ApiError}s are sent as they are, a broken client socket is closed
 * quietly, and anything else is a 500 logged once with its stack trace.
 */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);
  // One line a second at most: every refusal leaves a trace, and a flood of them leaves a count.
  private static final RateLimitedLog refusals = new RateLimitedLog(LoggerFactory.getLogger("io.smartupdate.refused"), 1_000);

  private HttpErrors() {}

  /** Wraps {@code next} so that whatever it throws is answered here (for handlers in front of the route table). */
  public static HttpHandler handler(HttpHandler next) {
    return new ErrorHandler(next);
  }

  /** Answers {@code failure} on {@code exchange} (or closes it when answering is no longer possible). */
  public static void send(HttpServerExchange exchange, Throwable failure) {
    send(exchange, failure, Map.of());
  }

  /** As {@link #send(HttpServerExchange, Throwable)}, with a feature's own headers that the answer must keep. */
  public static void send(HttpServerExchange exchange, Throwable failure, Map<String, String> headers) {
    if (failure instanceof IOException) {
      // Client went away or the socket broke: nothing to answer, and not worth a warning.
      log.debug("IO error on {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), failure.toString());
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    ApiError error = toApiError(exchange, failure);
    if (!headers.isEmpty()) error = error.withHeaders(headers);
    if (worthATrace(exchange, error)) {
      refusals.warn("{} {} {} from {}: {}: {}", error.status(), exchange.getRequestMethod(), exchange.getRequestPath(),
          client(exchange), error.error(), error.detail());
    }
    Json.sendError(exchange, error);
  }

  /** Every refusal but a firmware 404 (a BMC probing for an image is routine) and a 500 (logged with its trace already). */
  private static boolean worthATrace(HttpServerExchange exchange, ApiError error) {
    if (error.status() == 404 && exchange.getRequestPath().startsWith("/firmware/")) return false;
    return !error.error().equals("internal_error");
  }

  private static String client(HttpServerExchange exchange) {
    InetSocketAddress address = exchange.getSourceAddress();
    return address == null || address.getAddress() == null ? "?" : address.getAddress().getHostAddress();
  }

  /** The HTTP error for {@code failure}; unexpected ones are logged here. */
  static ApiError toApiError(HttpServerExchange exchange, Throwable failure) {
    if (failure instanceof ApiError api) return api;
    if (failure instanceof Problem problem) return fromProblem(problem);
    log.error("unexpected failure on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), failure);
    return new ApiError(500, "internal_error", "the server failed on this request; see the server log");
  }

  /**
   * Not found 404, bad input 400, unauthorized 401 (with the scheme to use), forbidden 403, conflict 409,
   * too many 429, busy, changed and unavailable 503; those a retry can help carry {@code Retry-After}.
   */
  public static ApiError fromProblem(Problem problem) {
    int status;
    if (problem instanceof Problem.NotFound) {
      status = 404;
    } else if (problem instanceof Problem.BadInput) {
      status = 400;
    } else if (problem instanceof Problem.Unauthorized) {
      status = 401;
    } else if (problem instanceof Problem.Forbidden) {
      status = 403;
    } else if (problem instanceof Problem.Conflict) {
      status = 409;
    } else if (problem instanceof Problem.TooMany) {
      status = 429;
    } else {
      status = 503; // Busy, Changed, Unavailable: a later retry may succeed
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (problem instanceof Problem.Unauthorized) headers.put("WWW-Authenticate", "Bearer realm=\"smartupdate\"");
    if (problem.retryAfter() != null) headers.put("Retry-After", Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
    return new ApiError(status, problem.code(), problem.detail(), headers);
  }
}
