package io.smartupdate.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Maps anything a handler throws to the JSON error shape, so a bad request never escapes as a stack trace. */
final class ErrorHandler implements HttpHandler {
  private final HttpHandler next;

  ErrorHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    try {
      next.handleRequest(exchange);
    } catch (Exception e) {
      HttpErrors.send(exchange, e);
    }
  }
}
