package io.smartupdate.http;

import io.smartupdate.core.Problem;
import io.undertow.server.HttpServerExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;

/**
 * Query parameters, percent-decoded. The engine turns Undertow's URL decoding off (the firmware
 * feature decodes and checks its own paths), so {@code ?client=%3A%3A1} would otherwise reach a
 * feature still encoded and match nothing.
 */
public final class Query {
  private Query() {}

  /** The first value of {@code name}, decoded; null when absent or empty. */
  public static String first(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    String raw = values == null ? null : values.peekFirst();
    if (raw == null || raw.isEmpty()) return null;
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
    try {
      String value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      return value.isEmpty() ? null : value;
    } catch (IllegalArgumentException e) {
      throw Problem.BadInput.field(name, "is not valid percent-encoding (a '%' must start %XX with two hex digits)");
    }
  }
}
