package io.smartupdate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestTls;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12: a restart under load. 64 slow downloads (HTTP and HTTPS) are in flight when the server
 * gets SIGTERM; the stop grace (4 s) ends before they do, so the server cuts them. The server is
 * started again on the same ports, and every client resumes where it was cut with
 * {@code Range: bytes=N-} and {@code If-Range: <ETag>}, until each has the image byte for byte.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class RestartUnderLoadIT {
  private static final int CLIENTS = 64;
  /**
   * Image sizes (odd ones too, for the Content-Range arithmetic). Each must exceed what a client
   * gets after SIGTERM although the server cuts it: about 0.7 MB read in the grace, plus up to
   * 4 MiB the kernel already holds in the server's send buffer (tcp_wmem) and delivers after the
   * process has gone. Smaller images (5 MiB) are typically delivered whole from that buffer.
   */
  private static final int[] SIZES = {6 * 1024 * 1024 + 12_345, 7 * 1024 * 1024 + 1, 8 * 1024 * 1024 - 1, 8 * 1024 * 1024};
  private static final int PAUSE_MIN = 120;
  private static final int PAUSE_SPREAD = 41;
  /**
   * A client reads this much, then pauses 120-160 ms (about 230 KB/s) while the first server runs:
   * in the 4 s grace it gets about 0.7 MB more, far from the end of its image, so the grace ends
   * first and the server cuts it. Once the first server has exited the clients read at full speed:
   * what the kernel still held for them (up to tcp_wmem's 4 MiB per connection on loopback) comes
   * out at once, they see the cut and reconnect while the server is still down.
   */
  private static final int CHUNK = 32 * 1024;
  /**
   * SIGTERM is sent once every client has at least this much of its image: all 64 are in flight.
   * A client that gets there first holds (reads nothing) until all have, so at SIGTERM each has
   * IN_FLIGHT to IN_FLIGHT + CHUNK bytes however slowly the others started: a fast starter could
   * otherwise read its whole image before the last one is in flight, and never be cut.
   */
  private static final int IN_FLIGHT = 256 * 1024;
  /** The longest a client holds at IN_FLIGHT: well under the 60 s write stall that would cut it. */
  private static final int HOLD_SECONDS = 40;
  /** Everything the clients do ends by then (the test's own timeout is 300 s: start 60 s + this + restart 60 s). */
  private static final long CLIENT_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(150);

  @TempDir Path dir;
  private final List<LaunchedServer> launched = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (LaunchedServer server : launched) server.close();
  }

  private record Image(String name, long size, String sha256) {}

  /** What one client did: its image's digest as received, how often it was cut and resumed. */
  private record Outcome(int client, Image image, String sha256, long received, int cuts, int resumes, int refused, long firstCut) {}

  @Test
  @Timeout(300)
  void sixtyFourDownloadsResumeByteExactAfterARestartOnTheSamePorts() throws Exception {
    long testStart = System.nanoTime();
    Path repo = Files.createDirectories(dir.resolve("repo"));
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < SIZES.length; i++) {
      String name = "image-" + i + ".bin";
      byte[] bytes = Samples.write(repo.resolve(name), SIZES[i], 1200 + i);
      images.add(new Image(name, bytes.length, Samples.sha256(bytes)));
    }

    LaunchedServer first = launch();
    int httpPort = first.httpPort();
    int httpsPort = first.httpsPort();
    SSLContext tls = TestTls.trustingPem(dir.resolve("certs/server.crt"));

    CountDownLatch inFlight = new CountDownLatch(CLIENTS);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean firstGone = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    long deadline = System.nanoTime() + CLIENT_BUDGET_NANOS;
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    LaunchedServer second = null;
    try {
      long started = System.nanoTime();
      List<Download> clients = new ArrayList<>();
      List<Future<Outcome>> downloads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Image image = images.get((c / 2) % images.size()); // every image over HTTP and over HTTPS
        boolean https = c % 2 == 1;
        Download download = new Download(client, image, https ? httpsPort : httpPort, https ? tls : null, inFlight, go, firstGone,
            deadline);
        clients.add(download);
        downloads.add(pool.submit(() -> {
          try {
            return download.run();
          } catch (Throwable e) {
            failures.add(new AssertionError("client " + client + " (" + (https ? "HTTPS" : "HTTP") + ", " + image.name() + ")", e));
            throw e;
          } finally {
            download.signalInFlight(); // once per client: one that failed early must not hold the SIGTERM back
          }
        }));
      }
      assertTrue(inFlight.await(HOLD_SECONDS, TimeUnit.SECONDS), "not every client started downloading within " + HOLD_SECONDS + " s");
      long startedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(failures.isEmpty(), () -> "clients failed before the restart: " + failures);

      long[] atSigterm = clients.stream().mapToLong(d -> d.offset).toArray();
      go.countDown();
      long signalled = System.nanoTime();
      first.process().destroy(); // SIGTERM, to the JVM itself: the launcher execs it
      // The stop itself is the 4 s grace plus closing (LauncherIT times it); 30 s leaves room for a loaded machine's JVM exit.
      assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), () -> "the first server did not stop within 30 s of SIGTERM; its log: "
          + logTail());
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      firstGone.set(true);
      assertEquals(0, first.process().exitValue(), () -> "exit code after SIGTERM; stderr: " + first.stderr());

      long restarting = System.nanoTime();
      second = launch("/port", String.valueOf(httpPort), "/ssl_port", String.valueOf(httpsPort), "/strict_ports");
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting);
      assertEquals(httpPort, second.httpPort(), "HTTP port after the restart");
      assertEquals(httpsPort, second.httpsPort(), "HTTPS port after the restart");

      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> download : downloads) {
        long left = Math.max(1, deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        try {
          outcomes.add(download.get(left, TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
          // recorded in failures, reported below with every other failure
        } catch (TimeoutException e) {
          failures.add(new AssertionError("a client did not finish within its budget"));
        }
      }
      assertTrue(failures.isEmpty(), () -> failures.size() + " client(s) failed, first: " + describe(failures.peek()));
      assertEquals(CLIENTS, outcomes.size());

      int byteExact = 0;
      int cut = 0;
      int resumes = 0;
      int refused = 0;
      int cutHttps = 0;
      long resumedBytes = 0;
      List<Long> afterSigterm = new ArrayList<>();
      for (Outcome o : outcomes) {
        assertEquals(o.image().size(), o.received(), "client " + o.client() + ": bytes received of " + o.image().name());
        assertEquals(o.image().sha256(), o.sha256(), "client " + o.client() + ": SHA-256 of " + o.image().name());
        byteExact++;
        if (o.cuts() > 0) {
          cut++;
          if (o.client() % 2 == 1) cutHttps++;
        }
        resumes += o.resumes();
        refused += o.refused();
        if (o.firstCut() >= 0) {
          resumedBytes += o.image().size() - o.firstCut();
          afterSigterm.add(o.firstCut() - atSigterm[o.client()]);
        }
      }
      assertEquals(CLIENTS, byteExact);
      assertTrue(resumes > 0, "no download was cut and resumed: the test proved nothing (tune sizes or pace)");
      for (Outcome o : outcomes) assertEquals(o.cuts(), o.resumes(), "client " + o.client() + ": every cut was resumed");
      boolean graceEnded = Files.readString(dir.resolve("data/logs/smartupdate.log")).contains("end of the stop grace");
      System.out.printf(Locale.ROOT, "restart under load: %d/%d byte-exact; %d cut (%d HTTPS, %d HTTP), %d resumes, %d MiB after "
              + "the cuts, %d refused connects while down; stop took %d ms after SIGTERM (grace ran out: %s), restart to ready "
              + "%d ms, whole test %d s%n",
          byteExact, CLIENTS, cut, cutHttps, cut - cutHttps, resumes, resumedBytes >> 20, refused, stopMillis, graceEnded, restartMillis,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - testStart));
      System.out.printf(Locale.ROOT, "restart under load: all 64 in flight %d ms after the first request, at %d-%d KiB each%n",
          startedMillis, Arrays.stream(atSigterm).min().orElse(0) >> 10, Arrays.stream(atSigterm).max().orElse(0) >> 10);
      System.out.printf(Locale.ROOT, "restart under load: received between SIGTERM and the cut (grace reads plus the kernel's "
              + "send buffer): %d-%d KiB%n", afterSigterm.stream().mapToLong(n -> n).min().orElse(0) >> 10,
          afterSigterm.stream().mapToLong(n -> n).max().orElse(0) >> 10);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      if (second != null) second.stop(15);
    }
  }

  /**
   * One slow client: reads its image from the server, and when the connection is cut (EOF before
   * Content-Length, or an IOException) reconnects, with backoff while the server is down, and asks
   * for the rest with Range and If-Range. Hashes as it goes; holds no more than one chunk.
   */
  private static final class Download {
    private final int client;
    private final Image image;
    private final int port;
    private final SSLContext tls;
    private final CountDownLatch inFlight;
    private final CountDownLatch go;
    private final AtomicBoolean firstGone;
    private final long deadline;
    private final Random pace;
    private final MessageDigest sha256;
    private volatile long offset; // written by its client only; read by the test at SIGTERM
    private String etag;
    private boolean signalled;
    private boolean inBody;
    private int cuts;
    private int resumes;
    private int refused;
    private long firstCut = -1;

    Download(int client, Image image, int port, SSLContext tls, CountDownLatch inFlight, CountDownLatch go, AtomicBoolean firstGone,
        long deadline) throws Exception {
      this.client = client;
      this.image = image;
      this.port = port;
      this.tls = tls;
      this.inFlight = inFlight;
      this.go = go;
      this.firstGone = firstGone;
      this.deadline = deadline;
      this.pace = new Random(client);
      this.sha256 = MessageDigest.getInstance("SHA-256");
    }

    Outcome run() throws Exception {
      long backoff = 50;
      while (offset < image.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("out of time at offset " + offset + " of " + image.size() + " after " + cuts + " cut(s)");
        }
        Socket socket;
        try {
          socket = connect();
        } catch (IOException e) { // refused or reset while the server is down or starting: wait and retry
          refused++;
          Thread.sleep(backoff);
          backoff = Math.min(1000, backoff * 2);
          continue;
        }
        inBody = false;
        try (socket) {
          exchange(socket);
        } catch (IOException e) {
          if (etag == null) throw new AssertionError("the first request failed before any byte", e);
          // cut: in the body (counted below), or before a response (a server stopping or starting: retried)
        }
        if (offset == image.size()) break;
        if (inBody) {
          if (cuts++ == 0) firstCut = offset;
          backoff = 50;
        } else { // no body: a 503 or a connection closed before the response head
          refused++;
          Thread.sleep(backoff);
          backoff = Math.min(1000, backoff * 2);
        }
      }
      return new Outcome(client, image, HexFormat.of().formatHex(sha256.digest()), offset, cuts, resumes, refused, firstCut);
    }

    private Socket connect() throws IOException {
      return SlowReader.open(port, 64 * 1024, 30_000, tls); // the body stays on the server's side until we read it
    }

    synchronized void signalInFlight() {
      if (signalled) return;
      signalled = true;
      inFlight.countDown();
    }

    /**
     * Sends one request for the rest of the image and reads as much of the body as comes; returns
     * early on a 503. An IOException or an early EOF means the connection was cut.
     */
    private void exchange(Socket socket) throws IOException, InterruptedException {
      boolean resuming = offset > 0;
      StringBuilder request = new StringBuilder("GET /firmware/").append(image.name()).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
      if (resuming) request.append("Range: bytes=").append(offset).append("-\r\nIf-Range: ").append(etag).append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();

      InputStream in = new BufferedInputStream(socket.getInputStream(), CHUNK);
      Response response = Response.read(in);
      if (response.status() == 503) return;
      long remaining = image.size() - offset;
      if (!resuming) {
        check(response.status() == 200, "status " + response.status() + " for the first request");
        etag = response.header("etag");
        check(etag != null && etag.startsWith("\""), "strong ETag, not " + etag);
      } else {
        check(response.status() == 206, "status " + response.status() + " for Range: bytes=" + offset + "- (If-Range " + etag + ")");
        String expected = "bytes " + offset + "-" + (image.size() - 1) + "/" + image.size();
        check(expected.equals(response.header("content-range")), "Content-Range " + response.header("content-range")
            + ", expected " + expected);
        check(etag.equals(response.header("etag")), "ETag changed across the restart: " + etag + " -> " + response.header("etag"));
        resumes++;
      }
      check(String.valueOf(remaining).equals(response.header("content-length")),
          "Content-Length " + response.header("content-length") + ", expected " + remaining);
      inBody = true;

      byte[] chunk = new byte[CHUNK];
      while (remaining > 0) {
        int filled = 0;
        int want = (int) Math.min(CHUNK, remaining);
        while (filled < want) { // a whole chunk, then the pause: TLS records would otherwise halve the pace
          int n = in.read(chunk, filled, want - filled);
          if (n < 0) break;
          sha256.update(chunk, filled, n);
          filled += n;
          offset += n;
        }
        remaining -= filled;
        if (offset >= IN_FLIGHT) {
          signalInFlight();
          go.await(HOLD_SECONDS, TimeUnit.SECONDS); // returns at once after the release
        }
        if (filled < want) throw new EOFException("cut at " + offset + " of " + image.size());
        if (remaining > 0 && !firstGone.get()) Thread.sleep(PAUSE_MIN + pace.nextInt(PAUSE_SPREAD));
      }
    }

    private void check(boolean condition, String message) {
      if (!condition) throw new AssertionError("client " + client + " (" + image.name() + ", " + (tls == null ? "HTTP" : "HTTPS")
          + ", offset " + offset + "): " + message);
    }
  }

  /** A status line and headers, read byte by byte up to the blank line (the body stays in the stream). */
  private record Response(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name);
    }

    static Response read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) throw new EOFException("connection closed in the response head: " + head.toString(StandardCharsets.ISO_8859_1));
        head.write(b);
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        if (head.size() > 16 * 1024) throw new IOException("response head over 16 KiB");
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Matcher status = Pattern.compile("HTTP/1\\.1 (\\d{3})(?: .*)?").matcher(lines[0]);
      if (!status.matches()) throw new IOException("not an HTTP/1.1 status line: " + lines[0]);
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) throw new IOException("malformed header line: " + lines[i]);
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (headers.putIfAbsent(name, lines[i].substring(colon + 1).trim()) != null) {
          throw new IOException("repeated header " + name); // none of the ones read here may repeat
        }
      }
      return new Response(Integer.parseInt(status.group(1)), headers);
    }
  }

  private LaunchedServer launch(String... args) throws IOException, InterruptedException {
    LaunchedServer server = LaunchedServer.start(dir, args);
    launched.add(server);
    return server;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("data/logs/smartupdate.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String describe(Throwable failure) {
    if (failure == null) return "none";
    StringBuilder text = new StringBuilder(failure.toString());
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) text.append(" <- ").append(cause);
    return text.toString();
  }
}
