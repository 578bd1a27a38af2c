package io.smartupdate.handoff;

import io.smartupdate.core.Problem;
import io.smartupdate.http.Attachments;
import io.smartupdate.http.HttpErrors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Deque;

/**
 * In front of the route table: requests on a session's port need that session's token (header
 * {@code X-SU-Session} or {@code ?session=}) and count as its activity; on the initial ports,
 * {@code GET /firmware/x?handoff=1} answers 307 to the same file on a fresh dedicated port.
 */
final class SessionGate implements HttpHandler {
  static final HttpString HEADER = new HttpString("X-SU-Session");
  private final HandoffManager manager;
  private final HttpHandler next;
  private final Clock clock;

  SessionGate(HandoffManager manager, HttpHandler next, Clock clock) {
    this.manager = manager;
    this.next = next;
    this.clock = clock;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HandoffSession session = manager.sessionAt(exchange.getDestinationAddress());
    if (session == null) {
      if (wantsTransparentHandoff(exchange)) {
        redirect(exchange);
        return;
      }
      next.handleRequest(exchange);
      return;
    }
    String presented = exchange.getRequestHeaders().getFirst(HEADER);
    if (presented == null) presented = first(exchange, "session");
    if (session.closed() || presented == null
        || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), session.token.getBytes(StandardCharsets.UTF_8))) {
      exchange.setPersistent(false);
      HttpErrors.send(exchange, new Problem.Forbidden("port " + session.port + " belongs to a hand-off session: send its "
          + "token in the X-SU-Session header or the session= query parameter (POST /api/handoff on the initial port opens one)"));
      return;
    }
    exchange.putAttachment(Attachments.SESSION, session.id);
    session.begin(clock.instant());
    exchange.addExchangeCompleteListener((ex, nextListener) -> {
      session.end(ex.getResponseBytesSent(), clock.instant());
      nextListener.proceed();
    });
    next.handleRequest(exchange);
  }

  private static boolean wantsTransparentHandoff(HttpServerExchange exchange) {
    String method = exchange.getRequestMethod().toString();
    return (method.equals("GET") || method.equals("HEAD")) && exchange.getRelativePath().startsWith("/firmware/")
        && "1".equals(first(exchange, "handoff"));
  }

  /** 307 keeps the method; the token rides in the query so plain downloaders (curl -L, requests) just follow. */
  private void redirect(HttpServerExchange exchange) {
    String scheme = exchange.getRequestScheme();
    HandoffSession session = manager.openTransparent(HandoffFeature.clientNode(exchange), scheme);
    String location = scheme + "://" + host(exchange) + ":" + session.port + exchange.getRequestPath() + "?session=" + session.token;
    exchange.setStatusCode(StatusCodes.TEMPORARY_REDIRECT);
    exchange.getResponseHeaders().put(Headers.LOCATION, location);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    exchange.endExchange();
  }

  /** The host the client used, bracketed when it is an IPv6 literal, for URLs on another port. */
  static String host(HttpServerExchange exchange) {
    String host = exchange.getHostName();
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String first(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null ? null : values.peekFirst();
  }
}
