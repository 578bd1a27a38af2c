package io.smartupdate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.smartupdate.core.Problem;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xnio.IoUtils;

/** JSON responses, including the one error shape every route uses. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  // "{...}{...}" is one request body with garbage after it, not one event.
  private static final ObjectReader READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** Parses a request body as JSON, or throws {@code invalid_body} (400) saying what is wrong with it. */
  public static JsonNode readTree(byte[] body) {
    try {
      JsonNode root = READER.readTree(body);
      if (root == null || root.isMissingNode()) throw Problem.BadInput.field("body", "is empty; send a JSON object");
      return root;
    } catch (JsonProcessingException e) {
      throw Problem.BadInput.field("body", "is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Problem.BadInput.field("body", "cannot be read: " + e.getMessage());
    }
  }

  /** Parses a request body that must be a JSON object; {@code example} shows the client one. */
  public static ObjectNode readObject(byte[] body, String example) {
    JsonNode root = readTree(body);
    if (!root.isObject()) throw Problem.BadInput.field("body", "must be a JSON object like " + example);
    return (ObjectNode) root;
  }

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
