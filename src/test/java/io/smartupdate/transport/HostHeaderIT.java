package io.smartupdate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Host check every request passes before any route, over real sockets on both schemes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostHeaderIT {
  @TempDir Path dir;

  @Test
  void anAddressHostIsServedAndABadHostIsRefusedAndClosed() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("fw.bin"), 4096, 1);
      for (Scheme scheme : Scheme.values()) {
        var tls = scheme == Scheme.HTTPS ? server.sslContext() : null;
        String ok = RawHttp.exchange(server.port(scheme), tls, get("Host: 127.0.0.1:" + server.port(scheme) + "\r\n"));
        assertEquals(200, RawHttp.status(ok), ok);
        String bad = RawHttp.exchange(server.port(scheme), tls, get("Host: bmc@10.0.0.1\r\n"));
        assertEquals(400, RawHttp.status(bad), bad);
        assertTrue(bad.startsWith("HTTP/1.1 400 " + HostCheck.BAD_CHARACTERS), bad);
        assertTrue(bad.toLowerCase().contains("connection: close"), bad);
        String two = RawHttp.exchange(server.port(scheme), tls, get("Host: a\r\nHost: b\r\n"));
        assertTrue(two.startsWith("HTTP/1.1 400 " + HostCheck.TOO_MANY_HOSTS), two);
        String none = RawHttp.exchange(server.port(scheme), tls, get(""));
        assertTrue(none.startsWith("HTTP/1.1 400 " + HostCheck.NO_HOST), none);
      }
    }
  }

  private static String get(String hostLines) {
    return "GET /firmware/fw.bin HTTP/1.1\r\n" + hostLines + "Connection: close\r\n\r\n";
  }
}
