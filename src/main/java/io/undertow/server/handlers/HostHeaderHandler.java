package io.undertow.server.handlers;

import io.smartupdate.transport.HostCheck;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * Takes the place of Undertow's class of this name, which its HTTP/1.1 reader wraps around the root
 * handler of every request with no option to change it: the same public surface and the same
 * verdicts ({@link HostCheck}), without the IPv4 regular expression that was up to a sixth of a
 * small GET's time. It is found first because the launchers put smartupdate's jar before Undertow's;
 * {@code HostCheckIT} fails when it is not, and when Undertow's version moves past the one it was
 * checked against.
 */
public class HostHeaderHandler implements HttpHandler {
  /** The version of undertow-core whose HostHeaderHandler this one was checked against. */
  public static final String CHECKED_AGAINST = "2.4.4.Final";

  public static final HandlerWrapper WRAPPER = HostHeaderHandler::new;

  public static final String STATUS_NO_HOST_HEADER = HostCheck.NO_HOST;
  public static final String STATUS_TOO_MANY_HOST_HEADERS = HostCheck.TOO_MANY_HOSTS;
  public static final String STATUS_MALFORMED_PORT = HostCheck.MALFORMED_PORT;
  public static final String STATUS_MALFORMED_IP_LITERAL = HostCheck.MALFORMED_IP_LITERAL;
  public static final String STATUS_MALFORMED_IP_LITERAL_BAD_CHARS = HostCheck.BAD_CHARACTERS;
  public static final String STATUS_HOST_NO_MATCH = HostCheck.HOST_NO_MATCH;

  private final HttpHandler next;

  public HostHeaderHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String problem = HostCheck.problem(exchange.getProtocol(), exchange.getRequestHeaders().get(Headers.HOST),
        exchange.isHostIncludedInRequestURI(), exchange.getRequestURI());
    if (problem == null) {
      next.handleRequest(exchange);
      return;
    }
    exchange.setStatusCode(StatusCodes.BAD_REQUEST);
    exchange.setResponseContentLength(0);
    exchange.getResponseHeaders().add(Headers.CONNECTION, Headers.CLOSE.toString());
    exchange.setReasonPhrase(problem);
    exchange.endExchange();
  }
}
