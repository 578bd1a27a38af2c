package io.smartupdate.transport;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.StartupException;
import io.smartupdate.core.Threads;
import io.smartupdate.http.Attachments;
import io.smartupdate.http.ExchangeEnd;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <logdir>/access.log}: one line per request in the "combined" format, then the time taken in
 * milliseconds and the hand-off session id ({@code -} for none):
 *
 * <pre>10.0.0.5 - - [21/Nov/2026:10:00:00 +0000] "GET /firmware/ilo5.bin HTTP/1.1" 200 33554432 "-" "curl/8.5.0" 412 3f9a0c1d2e4b5a69</pre>
 *
 * An IO thread only copies a request's fields (references, no text) into a queue when it ends; one
 * writer thread formats the lines and writes them in batches, so the IO threads never format, wait
 * for the disk or wake the writer. The file is rotated daily ({@code access.YYYY-MM-DD.log}).
 * Session tokens sent as {@code ?session=} never reach the file: the request line shows them as
 * {@code session=-}.
 */
public final class AccessLog implements Lifecycle, ExchangeEnd.Observer {
  public static final String FILE = "access.log";
  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  private static final Pattern TOKEN = Pattern.compile("(^|&)session=[^&]*");
  /** How long the writer sleeps when the queue is empty: lines reach the file this late at most. */
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Path dir;
  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final LogTime time = new LogTime();
  private final StringBuilder line = new StringBuilder(256);
  private final Thread writerThread;
  private volatile boolean closing;
  private Writer out;
  private LocalDate day;

  /** One ended request: what its line needs, read on the IO thread, formatted on the writer's. */
  private record Entry(InetSocketAddress source, long endMillis, HttpString method, String uri, String query,
      HttpString protocol, int status, long bytes, String referer, String userAgent, long tookMillis, String session) {}

  public AccessLog(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException("cannot create the log directory " + dir + ": " + e.getMessage(), e);
    }
    this.dir = dir;
    writerThread = Threads.daemon("access-log").newThread(this::writeUntilClosed);
    writerThread.start();
  }

  /** Queues the line of a request that ended (told by {@link ExchangeEnd}). */
  @Override
  public void ended(HttpServerExchange exchange) {
    long start = exchange.getRequestStartTime();
    queue.add(new Entry(exchange.getSourceAddress(), System.currentTimeMillis(), exchange.getRequestMethod(),
        exchange.getRequestURI(), exchange.getQueryString(), exchange.getProtocol(), exchange.getStatusCode(),
        exchange.getResponseBytesSent(), exchange.getRequestHeaders().getFirst(Headers.REFERER),
        exchange.getRequestHeaders().getFirst(Headers.USER_AGENT),
        start == -1 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), exchange.getAttachment(Attachments.SESSION)));
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    LockSupport.unpark(writerThread);
    writerThread.join(TimeUnit.SECONDS.toMillis(2));
  }

  private void writeUntilClosed() {
    while (true) {
      boolean last = closing; // read before draining: whatever was queued before close() is written
      boolean wrote = false;
      for (Entry entry; (entry = queue.poll()) != null; wrote = true) write(entry);
      if (wrote) flush();
      if (last) break;
      if (!wrote) LockSupport.parkNanos(IDLE_NANOS);
    }
    try {
      if (out != null) out.close();
    } catch (IOException e) {
      log.warn("access log {}: {}", dir.resolve(FILE), e.getMessage());
    }
  }

  private void write(Entry entry) {
    line.setLength(0);
    line.append(entry.source() == null ? "-" : entry.source().getHostString()).append(" - - ")
        .append(time.format(entry.endMillis())).append(" \"").append(entry.method()).append(' ').append(entry.uri());
    if (entry.query() != null && !entry.query().isEmpty()) {
      line.append('?').append(TOKEN.matcher(entry.query()).replaceAll("$1session=-"));
    }
    line.append(' ').append(entry.protocol()).append("\" ").append(entry.status()).append(' ');
    if (entry.bytes() == 0) line.append('-');
    else line.append(entry.bytes());
    line.append(" \"").append(orDash(entry.referer())).append("\" \"").append(orDash(entry.userAgent())).append("\" ");
    if (entry.tookMillis() < 0) line.append('-');
    else line.append(entry.tookMillis());
    line.append(' ').append(orDash(entry.session())).append('\n');
    try {
      openFor(LocalDate.ofInstant(Instant.ofEpochMilli(entry.endMillis()), ZoneId.systemDefault())).append(line);
    } catch (IOException e) {
      log.warn("access log {}: cannot write: {}", dir.resolve(FILE), e.getMessage());
      closeQuietly();
    }
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private void flush() {
    try {
      if (out != null) out.flush();
    } catch (IOException e) {
      log.warn("access log {}: cannot write: {}", dir.resolve(FILE), e.getMessage());
      closeQuietly();
    }
  }

  /** The writer of {@code today}'s file; a file of an earlier day is first renamed {@code access.DAY.log}. */
  private Writer openFor(LocalDate today) throws IOException {
    if (out != null && today.equals(day)) return out;
    closeQuietly();
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      LocalDate written = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneId.systemDefault());
      if (written.isBefore(today)) {
        Files.move(file, dir.resolve("access." + written + ".log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    day = today;
    return out;
  }

  private void closeQuietly() {
    try {
      if (out != null) out.close();
    } catch (IOException e) {
      // the next line opens the file again
    }
    out = null;
  }

  /**
   * {@code %t}, formatted once a second: Undertow formats it with a SimpleDateFormat for every line,
   * which was half of the access log's cost on small requests. Same text: {@code [21/Nov/2026:10:00:00 +0000]}.
   */
  static final class LogTime {
    private static final DateTimeFormatter FORMAT =
        DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.US).withZone(ZoneId.systemDefault());
    private long second = Long.MIN_VALUE;
    private String text = "";

    String format(long epochMillis) {
      long now = Math.floorDiv(epochMillis, 1000);
      if (now != second) {
        text = FORMAT.format(Instant.ofEpochSecond(now));
        second = now;
      }
      return text;
    }
  }
}
