package io.smartupdate.http;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exchange-completion hook of the server: the observers of ended exchanges (the download
 * record, the metrics, the access log) are told in turn by a single listener, shared by every
 * request, instead of each adding a listener object of its own to every exchange.
 */
public final class ExchangeEnd implements ExchangeCompletionListener {
  private static final Logger log = LoggerFactory.getLogger(ExchangeEnd.class);

  /** Told once when an exchange has ended, however it ended, on the thread that ended it (an IO thread: never block). */
  @FunctionalInterface
  public interface Observer {
    void ended(HttpServerExchange exchange);
  }

  private final Observer[] observers;

  private ExchangeEnd(List<Observer> observers) {
    this.observers = observers.toArray(Observer[]::new);
  }

  /** {@code next}, with {@code observers} told in this order when each of its exchanges ends. */
  public static HttpHandler observe(HttpHandler next, List<Observer> observers) {
    if (observers.isEmpty()) return next;
    ExchangeEnd hook = new ExchangeEnd(observers);
    return exchange -> {
      exchange.addExchangeCompleteListener(hook);
      next.handleRequest(exchange);
    };
  }

  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
    try {
      for (Observer observer : observers) {
        try {
          observer.ended(exchange);
        } catch (RuntimeException e) { // one observer's failure must not cost the others their record
          log.warn("{} failed on a request's end: {}", observer.getClass().getSimpleName(), e.toString());
        }
      }
    } finally {
      next.proceed();
    }
  }
}
