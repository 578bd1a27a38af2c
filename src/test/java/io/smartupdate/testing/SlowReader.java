package io.smartupdate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A client socket with a small receive window: most of a response stays on the server's side until
 * the test reads it, so the server's progress moves only at the test's pace.
 */
public final class SlowReader {
  private SlowReader() {}

  /**
   * Connects to 127.0.0.1:{@code port} with a {@code window}-byte receive buffer (set before
   * connect, where it sizes the TCP window), read timeout {@code readTimeoutMillis}; over TLS when
   * {@code tls} is not null, with the handshake done.
   */
  public static Socket open(int port, int window, int readTimeoutMillis, SSLContext tls) throws IOException {
    Socket plain = new Socket();
    try {
      plain.setReceiveBufferSize(window);
      plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      // While nothing listens on the port, loopback can connect a socket to itself: that is no server
      if (plain.getLocalPort() == port) throw new IOException("TCP self-connect to port " + port);
      plain.setSoTimeout(readTimeoutMillis);
      if (tls == null) return plain;
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
      secure.startHandshake();
      return secure;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** As {@link #open}, then sends {@code GET path} with {@code headers} (each "Name: value"). */
  public static Socket get(int port, int window, int readTimeoutMillis, SSLContext tls, String path, String... headers)
      throws IOException {
    Socket socket = open(port, window, readTimeoutMillis, tls);
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) request.append(header).append("\r\n");
    socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }
}
