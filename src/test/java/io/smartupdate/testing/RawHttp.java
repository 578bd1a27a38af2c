package io.smartupdate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Sends a request line exactly as written (no client-side normalisation) and returns the raw response. */
public final class RawHttp {
  private RawHttp() {}

  public static String request(TestServer server, TestServer.Scheme scheme, String target) throws IOException {
    return exchange(server.port(scheme), scheme == TestServer.Scheme.HTTPS ? server.sslContext() : null,
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  public static String exchange(int port, SSLContext tls, String request) throws IOException {
    return exchange(port, tls, new byte[0], request);
  }

  /** As {@link #exchange(int, SSLContext, String)}, with {@code preface} sent in the clear first (a PROXY protocol header). */
  public static String exchange(int port, SSLContext tls, byte[] preface, String request) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    plain.setSoTimeout(10_000);
    if (preface.length > 0) plain.getOutputStream().write(preface);
    try (Socket socket = tls == null ? plain
        : tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
      if (socket instanceof SSLSocket ssl) ssl.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) response.write(buffer, 0, n);
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** The status code of a raw response, or -1 if the server closed without answering. */
  public static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) return -1;
    return Integer.parseInt(response.substring(9, 12));
  }

  /**
   * Reads until the server ends the connection (EOF or reset) and returns what arrived. A read
   * timeout is not an end: a server that stalls a transfer instead of cutting it fails the test.
   */
  public static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server stalled the connection after " + out.size() + " bytes instead of closing it", e);
    } catch (IOException e) {
      // a reset (plain or inside TLS) is one way of being cut short
    }
    return out.toByteArray();
  }
}
