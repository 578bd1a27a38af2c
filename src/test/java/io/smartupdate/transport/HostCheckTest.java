package io.smartupdate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.undertow.Version;
import io.undertow.server.handlers.HostHeaderHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import org.junit.jupiter.api.Test;

class HostCheckTest {
  @Test
  void addressesAndNamesWithOrWithoutAPortPass() {
    for (String host : new String[] {"127.0.0.1:63001", "10.0.0.42", "255.255.255.255:1", "999.1.1.1", "01.2.3.004",
        "ilo-10-0-0-42.lab.example", "localhost:65535", "a%41b", "[::1]:443", "[fe80::1]",
        "[v1.fe:80]", "under_score~!$&'()*+,;="}) {
      assertNull(problem(host), host);
    }
  }

  @Test
  void malformedHostsGetUndertowsReasons() {
    assertEquals(HostCheck.MALFORMED_PORT, problem("127.0.0.1:0"));
    assertEquals(HostCheck.MALFORMED_PORT, problem("127.0.0.1:65536"));
    assertEquals(HostCheck.MALFORMED_PORT, problem("host:http"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("[::1:80"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("::1]:80"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("[::g]"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("[v.x]"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("[v1.]"));
    assertEquals(HostCheck.BAD_CHARACTERS, problem("[vz.x]"));
    assertEquals(HostCheck.BAD_CHARACTERS, problem("[v1.a/b]"));
    assertEquals(HostCheck.BAD_CHARACTERS, problem("user@host"));
    assertEquals(HostCheck.BAD_CHARACTERS, problem("a b"));
    assertEquals(HostCheck.BAD_CHARACTERS, problem("a%4g"));
    assertEquals(HostCheck.MALFORMED_IP_LITERAL, problem("a%4"));
  }

  @Test
  void hostCountAndProtocolDecideBeforeTheValue() {
    assertEquals(HostCheck.NO_HOST, HostCheck.problem(Protocols.HTTP_1_1, null, false, "/"));
    assertNull(HostCheck.problem(Protocols.HTTP_1_0, null, false, "/"), "HTTP/1.0 may leave Host out");
    HeaderMap two = new HeaderMap().add(Headers.HOST, "a").add(Headers.HOST, "b");
    assertEquals(HostCheck.TOO_MANY_HOSTS, HostCheck.problem(Protocols.HTTP_1_1, two.get(Headers.HOST), false, "/"));
  }

  @Test
  void anAbsoluteTargetMustNameTheHostHeadersHost() {
    assertNull(HostCheck.problem(Protocols.HTTP_1_1, hosts("fw.example:80"), true, "http://fw.example:80/firmware/a.bin"));
    assertEquals(HostCheck.HOST_NO_MATCH, HostCheck.problem(Protocols.HTTP_1_1, hosts("other.example"), true, "http://fw.example/a"));
  }

  @Test
  void undertowRunsThisCheckAndIsTheVersionItWasCheckedAgainst() {
    assertEquals(HostCheck.class.getProtectionDomain().getCodeSource().getLocation(),
        HostHeaderHandler.class.getProtectionDomain().getCodeSource().getLocation(),
        "Undertow's own HostHeaderHandler came first on the class path: put smartupdate's jar before Undertow's");
    assertEquals(HostHeaderHandler.CHECKED_AGAINST, Version.getVersionString(),
        "Undertow changed: compare its HostHeaderHandler with HostCheck, then update HostHeaderHandler.CHECKED_AGAINST");
  }

  private static String problem(String host) {
    return HostCheck.problem(Protocols.HTTP_1_1, hosts(host), false, "/firmware/a.bin");
  }

  private static HeaderValues hosts(String host) {
    return new HeaderMap().add(Headers.HOST, host).get(Headers.HOST);
  }
}
