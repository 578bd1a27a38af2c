package io.smartupdate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.Test;

class QueryTest {
  private static HttpServerExchange with(String name, String raw) {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.addQueryParam(name, raw);
    return exchange;
  }

  @Test
  void valuesArePercentDecodedAsInAForm() {
    assertEquals("/firmware/c d/", Query.first(with("path", "%2Ffirmware%2Fc%20d%2F"), "path"));
    assertEquals("a b", Query.first(with("q", "a+b"), "q"));
    assertEquals("::1", Query.first(with("client", "%3A%3A1"), "client"));
    assertEquals("plain", Query.first(with("q", "plain"), "q"));
  }

  @Test
  void absentOrEmptyIsNull() {
    assertNull(Query.first(new HttpServerExchange(null), "q"));
    assertNull(Query.first(with("q", ""), "q"));
  }

  @Test
  void aBrokenEscapeIsRefusedNamingTheParameter() {
    Problem.BadInput refused = assertThrows(Problem.BadInput.class, () -> Query.first(with("path", "%ZZ"), "path"));
    assertTrue(refused.getMessage().contains("path"), refused.getMessage());
  }
}
