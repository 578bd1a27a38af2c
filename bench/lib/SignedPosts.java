import io.smartupdate.auth.WriteAuth;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable status posts from N keep-alive connections, each request signed anew (HMAC-SHA256, a
 * fresh nonce: what a wrk script cannot do) or carrying the bearer token, so the two schemes are
 * measured by the same client. Signs with the server's own {@link WriteAuth#sign}.
 *
 * <pre>java -cp target/classes bench/lib/SignedPosts.java URL TOKEN_FILE hmac|bearer [CONNECTIONS] [SECONDS]</pre>
 *
 * Prints one line: {@code <auth> <requests/s> ok=N errors=N}.
 */
public final class SignedPosts {
  private static final byte[] BODY = ("{\"node\":\"ilo-10.0.0.42\",\"phase\":\"downloading\",\"progress\":50,"
      + "\"component\":\"ilo5_281.bin\",\"message\":\"" + "x".repeat(190) + "\"}").getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || !(args[2].equals("hmac") || args[2].equals("bearer"))) {
      System.err.println("usage: SignedPosts URL TOKEN_FILE hmac|bearer [CONNECTIONS=64] [SECONDS=10]");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    String token = Files.readString(Path.of(args[1])).trim();
    boolean hmac = args[2].equals("hmac");
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    long seconds = args.length > 4 ? Long.parseLong(args[4]) : 10;
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Thread[] threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      threads[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            while (System.nanoTime() < end) {
              out.write(request(url, token, hmac));
              out.write(BODY);
              out.flush();
              int status = readResponse(in);
              if (status >= 200 && status < 300) ok.increment();
              else errors.increment();
            }
          } catch (IOException e) {
            errors.increment();
          }
        }
      });
      threads[i].start();
    }
    long start = System.nanoTime();
    for (Thread thread : threads) thread.join();
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s %.0f ok=%d errors=%d%n", args[2], ok.sum() / took, ok.sum(), errors.sum());
  }

  private static byte[] request(URI url, String token, boolean hmac) {
    String target = url.getRawPath();
    StringBuilder head = new StringBuilder(512).append("POST ").append(target).append(" HTTP/1.1\r\nHost: ")
        .append(url.getHost()).append(':').append(url.getPort())
        .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(BODY.length).append("\r\n");
    if (hmac) {
      String date = Long.toString(System.currentTimeMillis() / 1000);
      byte[] random = new byte[16];
      ThreadLocalRandom.current().nextBytes(random);
      String nonce = HexFormat.of().formatHex(random);
      byte[] signature = WriteAuth.sign(token.getBytes(StandardCharsets.UTF_8), "POST", target, date, nonce, BODY);
      head.append("X-SU-Date: ").append(date).append("\r\nX-SU-Nonce: ").append(nonce)
          .append("\r\nX-SU-Signature: hmac-sha256=").append(HexFormat.of().formatHex(signature)).append("\r\n");
    } else {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one response (status line, headers, a Content-Length body) and returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = 0;
    for (String header; !(header = line(in)).isEmpty(); ) {
      if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Long.parseLong(header.substring(15).trim());
    }
    if (in.readNBytes((int) length).length < length) throw new IOException("the server closed the connection mid-body");
    return status;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("the server closed the connection");
      if (c != '\r') text.append((char) c);
    }
    return text.toString();
  }
}
