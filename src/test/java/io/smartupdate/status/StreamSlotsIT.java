package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.transport.Limits;
import io.smartupdate.testing.RawHttp;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Live event streams per client: capped (each holds a connection for good), and a departed client's slot freed at once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamSlotsIT {
  @TempDir Path dir;

  @Test
  void liveStreamsOverThePerClientCapAre429AndALeavingClientsSlotComesBackAtOnce() throws Exception {
    try (TestServer server = TestServer.start(dir, c -> c.limits(Limits.DEFAULT.withClientStreams(2)))) {
      int port = server.port(Scheme.HTTP);
      Socket first = connect(port);
      try (Socket second = connect(port)) {
        for (Socket s : List.of(first, second)) assertTrue(streamHead(s).startsWith("HTTP/1.1 200"));
        try (Socket third = connect(port)) {
          String refused = streamHead(third);
          assertEquals(429, RawHttp.status(refused), refused);
          assertTrue(refused.contains("too_many_streams"), refused);
          assertTrue(refused.toLowerCase(Locale.ROOT).contains("\r\nretry-after: 10\r\n"), "a 429 says when to retry: " + refused);
        }
        first.close();
        // The server notices at once that a stream's client has gone (end of its input), not at the next keep-alive.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
          try (Socket again = connect(port)) {
            String head = streamHead(again);
            if (head.startsWith("HTTP/1.1 200")) break;
            assertEquals(429, RawHttp.status(head), head);
          }
          assertTrue(System.nanoTime() < deadline, "a stream slot never came back after one stream closed");
          Thread.sleep(20);
        }
      } finally {
        first.close();
      }
    }
  }

  /** Opens an event stream on {@code socket} and returns its response head (with the body of a 429). */
  private static String streamHead(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = socket.getInputStream();
    while (head.indexOf("\r\n\r\n") < 0) {
      int c = in.read();
      if (c < 0) break;
      head.append((char) c);
    }
    if (head.toString().startsWith("HTTP/1.1 429")) head.append(new String(in.readNBytes(contentLength(head.toString())), StandardCharsets.UTF_8));
    return head.toString();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
    }
    return 0;
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }
}
