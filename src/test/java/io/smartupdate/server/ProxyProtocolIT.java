package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --proxy-protocol}: behind HAProxy's send-proxy(-v2), the client's own address is the one the server sees. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {
  private static final String GET_FIRMWARE = "GET /firmware/fw.bin HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n";
  private static final String GET_DOWNLOADS = "GET /api/downloads HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n";

  @TempDir Path dir;

  @Test
  void v1HeaderOnHttpMakesTheDownloadTheClientsAddress() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.proxyProtocol(true))) {
      Samples.write(server.repo().resolve("fw.bin"), 1000, 1);
      byte[] header = "PROXY TCP4 198.51.100.7 127.0.0.1 40001 63001\r\n".getBytes(StandardCharsets.US_ASCII);
      String fetched = RawHttp.exchange(server.port(Scheme.HTTP), null, header, GET_FIRMWARE);
      assertEquals(200, RawHttp.status(fetched), fetched);
      String downloads = RawHttp.exchange(server.port(Scheme.HTTP), null, header, GET_DOWNLOADS);
      assertTrue(downloads.contains("\"client\":\"198.51.100.7\""), downloads);
    }
  }

  @Test
  void v2HeaderBeforeTlsMakesTheDownloadTheClientsAddress() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.proxyProtocol(true))) {
      Samples.write(server.repo().resolve("fw.bin"), 1000, 1);
      String fetched = RawHttp.exchange(server.port(Scheme.HTTPS), server.sslContext(), v2(203, 0, 113, 9), GET_FIRMWARE);
      assertEquals(200, RawHttp.status(fetched), fetched);
      String downloads = RawHttp.exchange(server.port(Scheme.HTTPS), server.sslContext(), v2(203, 0, 113, 9), GET_DOWNLOADS);
      assertTrue(downloads.contains("\"client\":\"203.0.113.9\""), downloads);
    }
  }

  @Test
  void connectionWithoutHeaderIsClosedUnanswered() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.proxyProtocol(true))) {
      assertEquals(-1, RawHttp.status(closedOrEmpty(server.port(Scheme.HTTP), null)));
      assertEquals(-1, RawHttp.status(closedOrEmpty(server.port(Scheme.HTTP), null)), "still refused on a second try");
    }
  }

  @Test
  void withoutTheOptionAHeaderIsNotHttp() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      byte[] header = "PROXY TCP4 198.51.100.7 127.0.0.1 40001 63001\r\n".getBytes(StandardCharsets.US_ASCII);
      assertEquals(400, RawHttp.status(RawHttp.exchange(server.port(Scheme.HTTP), null, header, GET_DOWNLOADS)));
    }
  }

  private static String closedOrEmpty(int port, SSLContext tls) {
    try {
      return RawHttp.exchange(port, tls, GET_DOWNLOADS);
    } catch (IOException e) {
      return ""; // a reset is a refusal too
    }
  }

  /** A PROXY v2 header (binary, TCP over IPv4) from {@code a.b.c.d}:40002 to 127.0.0.1:63002, as HAProxy's send-proxy-v2 writes it. */
  private static byte[] v2(int a, int b, int c, int d) {
    ByteBuffer header = ByteBuffer.allocate(16 + 12);
    header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.put((byte) 0x21); // version 2, PROXY command
    header.put((byte) 0x11); // TCP over IPv4
    header.putShort((short) 12);
    header.put(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, 127, 0, 0, 1});
    header.putShort((short) 40002).putShort((short) 63002);
    return header.array();
  }
}
