package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.http.JsonBody;
import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import io.smartupdate.transport.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clients that misbehave on purpose: too many connections, bodies that never arrive, absurd lengths. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileClientsIT {
  @TempDir Path dir;

  @Test
  void connectionsOverThePerClientCapAreClosedAtOnceAndTheSlotReturnsOnClose() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.limits(Limits.DEFAULT.withConnections(Limits.DEFAULT.maxConnections(), 8)))) {
      int port = server.port(Scheme.HTTP);
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) held.add(connect(port));
        // Each held connection is in (it answers a request) before the ninth comes: the IO threads
        // accept in no fixed order, so otherwise the ninth might be counted before one of these.
        for (Socket s : held) assertEquals(200, RawHttp.status(roundTrip(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")));
        try (Socket ninth = connect(port)) {
          assertTrue(closedByServer(ninth, 5_000), "the connection over the cap is closed by the server");
        }
        held.remove(0).close();
        awaitAdmitted(port);
      } finally {
        for (Socket s : held) s.close();
      }
    }
  }

  @Test
  void theTotalCapHoldsAcrossClientAddresses() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.limits(Limits.DEFAULT.withConnections(4, 3)))) {
      int port = server.port(Scheme.HTTP);
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) held.add(connectFrom("127.0.0.1", port));
        held.add(connectFrom("127.0.0.2", port));
        for (Socket s : held) assertEquals(200, RawHttp.status(roundTrip(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")));
        try (Socket fifth = connectFrom("127.0.0.2", port)) {
          assertTrue(closedByServer(fifth, 5_000), "over the total cap, though this client holds only one");
        }
      } finally {
        for (Socket s : held) s.close();
      }
    }
  }

  private static Socket connectFrom(String source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  @Test
  void aBodyThatNeverArrivesIsCutAfterTheBodyTimeout() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      try (Socket slow = connect(server.port(Scheme.HTTP))) {
        slow.getOutputStream().write(("POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer " + server.token() + "\r\nContent-Length: 60000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        assertTrue(closedByServer(slow, (int) JsonBody.BODY_TIMEOUT_MILLIS + 10_000), "the trickling client was cut");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= JsonBody.BODY_TIMEOUT_MILLIS - 1_000, "cut after " + took + " ms, not before the body timeout");
      }
      assertEquals(200, server.get(Scheme.HTTP, "/health").statusCode(), "the server still serves");
    }
  }

  @Test
  void unauthenticatedBodiesAreRefusedBeforeTheyAreRead() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      // Signature headers with a stale date: refused from the headers alone, the announced body is never waited for.
      String stale = "POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n"
          + "X-SU-Date: 1000\r\nX-SU-Nonce: 0123456789abcdef0123\r\nX-SU-Signature: hmac-sha256=" + "0".repeat(64) + "\r\n\r\n{";
      try (Socket socket = connect(server.port(Scheme.HTTP))) {
        String answer = roundTrip(socket, stale);
        assertEquals(401, RawHttp.status(answer), answer);
        assertTrue(answer.contains("X-SU-Date is"), answer);
      }
    }
  }

  @Test
  void plainHttpSentToTheHttpsPortIsToldToUseHttps() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      try (Socket socket = connect(server.port(Scheme.HTTPS))) {
        String answer = roundTrip(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(400, RawHttp.status(answer), answer);
        assertTrue(answer.contains("\"error\":\"use_https\"") && answer.contains("https://"), answer);
        assertTrue(closedByServer(socket, 5_000));
      }
      assertEquals(200, server.get(Scheme.HTTPS, "/health").statusCode(), "TLS clients are served as before");
    }
  }

  @Test
  void silentAndIdleConnectionsAreClosedOnBothPorts() throws Exception {
    Limits quick = Limits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    try (TestServer server = TestServer.start(dir, c -> c.limits(quick))) {
      for (Scheme scheme : Scheme.values()) {
        try (Socket silent = connect(server.port(scheme))) {
          long start = System.nanoTime();
          assertTrue(closedByServer(silent, 10_000), scheme + ": a connection that never sends a byte is closed");
          assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1_500, scheme + ": not before its time");
        }
      }
      try (Socket idle = connect(server.port(Scheme.HTTP))) {
        assertEquals(200, RawHttp.status(roundTrip(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertTrue(closedByServer(idle, 10_000), "an idle keep-alive connection is closed");
      }
    }
  }

  @Test
  void aRequestHeadTrickledByteByByteIsCutAtTheHeadTimeout() throws Exception {
    Limits quick = Limits.DEFAULT.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2));
    try (TestServer server = TestServer.start(dir, c -> c.limits(quick))) {
      try (Socket slowloris = connect(server.port(Scheme.HTTP))) {
        OutputStream out = slowloris.getOutputStream();
        byte[] head = ("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        boolean cut = false;
        for (byte b : head) {
          try {
            out.write(b);
            out.flush();
          } catch (SocketException closed) {
            cut = true;
            break;
          }
          Thread.sleep(100); // the attack: one byte every 100 ms, never finishing the head
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(cut || closedByServer(slowloris, 5_000), "the trickling head was cut");
        assertTrue(took < 8_000, "cut near the 2 s head timeout, not at the end of a 23 s trickle: " + took + " ms");
      }
    }
  }

  @Test
  void absurdContentLengthIsAnsweredNotAServerError() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      for (String path : List.of("/api/status", "/api/handoff", "/redfish/events")) {
        try (Socket socket = connect(server.port(Scheme.HTTP))) {
          String answer = roundTrip(socket, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer " + server.token() + "\r\nContent-Length: 99999999999999999999999\r\n\r\n{}");
          // Too long for a long, so larger than any limit: too large, named as such (not a parse error, not a 500).
          assertEquals(413, RawHttp.status(answer), path + " -> " + answer);
          assertTrue(answer.contains("\"error\":\"payload_too_large\""), path + " -> " + answer);
        }
        try (Socket socket = connect(server.port(Scheme.HTTP))) {
          String answer = roundTrip(socket, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer " + server.token() + "\r\nContent-Length: 12ab\r\n\r\n{}");
          assertEquals(400, RawHttp.status(answer), path + " -> " + answer);
        }
      }
    }
  }

  @Test
  void aClientThatStopsReadingIsCutAfterTheWriteStall() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.limits(Limits.DEFAULT.withWriteStall(Duration.ofSeconds(2))))) {
      long size = 256L << 20;
      try (RandomAccessFile big = new RandomAccessFile(server.repo().resolve("big.bin").toFile(), "rw")) {
        big.setLength(size); // sparse: far more than any socket buffer, no disk used
      }
      try (Socket stalled = SlowReader.get(server.port(Scheme.HTTP), 16 * 1024, 10_000, null, "/firmware/big.bin")) {
        Thread.sleep(5_000); // the behaviour under test: a client that reads nothing for longer than the stall
        long received = 0;
        try (InputStream in = stalled.getInputStream()) {
          byte[] buffer = new byte[65536];
          for (int n; (n = in.read(buffer)) >= 0; ) received += n;
        } catch (SocketException reset) {
          // cut with a reset: as good as a close
        }
        assertTrue(received < size / 2, "the stalled download was cut, not finished: " + received + " bytes");
      }
      assertEquals(200, server.get(Scheme.HTTP, "/health").statusCode());
    }
  }

  @Test
  void aSlowReaderThatKeepsReadingIsNeverCut() throws Exception {
    // The reader pauses a tenth of the stall between reads: a generous margin for scheduling on a
    // loaded machine, yet a reader far slower than the server (about 160 KiB/s).
    Duration stall = Duration.ofSeconds(2);
    long pause = stall.toMillis() / 10;
    try (TestServer server = TestServer.start(dir, c -> c.limits(Limits.DEFAULT.withWriteStall(stall)))) {
      byte[] image = Samples.write(server.repo().resolve("rom.bin"), 1 << 20, 9);
      try (Socket slow = SlowReader.get(server.port(Scheme.HTTP), 16 * 1024, 10_000, null, "/firmware/rom.bin", "Connection: close")) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = slow.getInputStream();
        byte[] buffer = new byte[32 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          all.write(buffer, 0, n);
          Thread.sleep(pause); // the behaviour under test: a slow BMC, never still for a whole stall
        }
        byte[] response = all.toByteArray();
        byte[] body = Arrays.copyOfRange(response, response.length - image.length, response.length);
        assertTrue(new String(response, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        assertTrue(Arrays.equals(image, body), "the slow reader got every byte");
      }
    }
  }

  // The per-client cap on live event streams is status.StreamSlotsIT's (PIT runs it against the status package).

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends {@code request} and reads what comes back until the status line and headers are in (a short answer, whole). */
  private static String roundTrip(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    byte[] buffer = new byte[8192];
    while (true) {
      int n = in.read(buffer);
      if (n < 0) break;
      answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      int head = answer.indexOf("\r\n\r\n");
      if (head >= 0 && answer.length() >= head + 4 + contentLength(answer.substring(0, head))) break;
    }
    return answer.toString();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
    }
    return 0;
  }

  /** True when the server closes the connection (end of stream or reset) within {@code millis}; false on a read timeout. */
  static boolean closedByServer(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // an answer before the close is fine; what matters is the close
      }
      return true;
    } catch (SocketException reset) {
      return true;
    } catch (SocketTimeoutException stalled) {
      return false;
    }
  }

  /** A new connection is served again once a slot is free: the count went down when a held one closed. */
  private static void awaitAdmitted(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try (Socket socket = connect(port)) {
        OutputStream out = socket.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!answer.isEmpty()) {
          assertEquals(200, RawHttp.status(answer), answer);
          return;
        }
      } catch (SocketException reset) {
        // refused: the close of the held connection has not been counted yet
      }
      assertTrue(System.nanoTime() < deadline, "no connection was admitted after a held one closed");
      Thread.sleep(20);
    }
  }
}
