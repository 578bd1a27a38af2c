package io.smartupdate.testing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A bare Undertow on 127.0.0.1 with one or more listeners on ports the OS picks (port 0), for
 * unit tests of single handlers; plus a raw-socket response reader that does not need the server
 * to close the connection.
 */
public final class TinyServer implements AutoCloseable {
  private final Undertow undertow;
  private final List<Integer> ports;

  private TinyServer(Undertow undertow) {
    this.undertow = undertow;
    this.ports = undertow.getListenerInfo().stream().map(l -> ((InetSocketAddress) l.getAddress()).getPort()).toList();
  }

  /** Starts {@code listeners} plain HTTP listeners, all served by {@code handler}. */
  public static TinyServer start(int listeners, HttpHandler handler) {
    Undertow.Builder builder = Undertow.builder().setIoThreads(1).setWorkerThreads(4).setHandler(handler);
    for (int i = 0; i < listeners; i++) builder.addHttpListener(0, "127.0.0.1");
    Undertow undertow = builder.build();
    undertow.start();
    return new TinyServer(undertow);
  }

  public int port() {
    return ports.get(0);
  }

  /** The port of listener {@code index}, in the order they were added. */
  public int port(int index) {
    return ports.get(index);
  }

  public URI uri(int index, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port(index) + pathAndQuery);
  }

  @Override
  public void close() {
    undertow.stop();
  }

  /** A connected socket with a read timeout, so a server that never answers fails the test instead of hanging it. */
  public Socket socket() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** One HTTP/1.1 response read from a raw stream: status, headers (lower-cased names) and body. */
  public record Response(int status, String head, String body) {
    public String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) return line.substring(prefix.length()).trim();
      }
      return null;
    }
  }

  /** Reads one response: the head, then exactly Content-Length body bytes (or to end of stream without one). */
  public static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed after " + head.size() + " bytes of response head: " + head);
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 response: " + text);
    int status = Integer.parseInt(text.substring(9, 12));
    Response partial = new Response(status, text, "");
    String length = partial.header("Content-Length");
    byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
    return new Response(status, text, new String(body, StandardCharsets.UTF_8));
  }
}
