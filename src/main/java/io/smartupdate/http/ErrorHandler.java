package io.smartupdate.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/** Maps anything a handler throws to the JSON error shape, so a bad request never escapes as a stack trace. */
final class ErrorHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  private final HttpHandler next;

  ErrorHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    try {
      next.handleRequest(exchange);
    } catch (ApiError e) {
      Json.sendError(exchange, e);
    } catch (IOException e) {
      // Client went away or the socket broke: nothing to answer, and not worth a warning.
      log.debug("IO error on {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      IoUtils.safeClose(exchange.getConnection());
    } catch (Exception e) {
      log.error("unexpected failure on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      Json.sendError(exchange, new ApiError(500, "internal_error", "the server failed on this request; see the server log"));
    }
  }
}
