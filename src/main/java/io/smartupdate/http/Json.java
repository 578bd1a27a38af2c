package io.smartupdate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xnio.IoUtils;

/** JSON responses, including the one error shape every route uses. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Sends {@code value} as the whole response body with the given status. */
  public static void send(HttpServerExchange exchange, int status, Object value) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    byte[] body = bytes(value);
    if (exchange.getRequestMethod().equalToString("HEAD")) {
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }

  /** Sends an {@link ApiError}; if the response has already started the connection is closed instead. */
  public static void sendError(HttpServerExchange exchange, ApiError error) {
    if (exchange.isResponseStarted()) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    exchange.getResponseHeaders().clear();
    error.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error.error());
    body.put("detail", error.detail());
    send(exchange, error.status(), body);
  }
}
