package io.smartupdate.web;

import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A firmware download read at the test's pace from a raw socket with a small receive window, so
 * the server's byte count only moves when the test reads.
 */
final class SlowDownload implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  final long length;
  private long read;

  SlowDownload(TestServer server, TestServer.Scheme scheme, String path) throws IOException {
    socket = SlowReader.get(server.port(scheme), 16 * 1024, 20_000, scheme == TestServer.Scheme.HTTPS ? server.sslContext() : null,
        path, "Connection: close");
    in = socket.getInputStream();
    String head = head();
    if (!head.startsWith("HTTP/1.1 200")) throw new IOException("expected 200 for " + path + ", got: " + head);
    String lengthLine = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst()
        .orElseThrow(() -> new IOException("no Content-Length: " + head));
    length = Long.parseLong(lengthLine.substring(lengthLine.indexOf(':') + 1).trim());
  }

  private String head() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      head.write(b);
      matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads {@code n} more body bytes (fewer at the end). */
  void read(long n) throws IOException {
    byte[] buffer = new byte[8192];
    long goal = Math.min(length, read + n);
    while (read < goal) {
      int got = in.read(buffer, 0, (int) Math.min(buffer.length, goal - read));
      if (got < 0) throw new IOException("the server ended the body after " + read + " of " + length + " bytes");
      read += got;
    }
  }

  void readToEnd() throws IOException {
    read(length - read);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
