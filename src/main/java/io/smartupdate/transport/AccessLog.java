package io.smartupdate.transport;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.StartupException;
import io.smartupdate.core.Threads;
import io.smartupdate.http.Attachments;
import io.undertow.attribute.CompositeExchangeAttribute;
import io.undertow.attribute.ExchangeAttribute;
import io.undertow.attribute.ExchangeAttributes;
import io.undertow.attribute.ReadOnlyAttributeException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import io.undertow.server.handlers.accesslog.DefaultAccessLogReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code <logdir>/access.log}: Undertow's own access log, one line per request in the "combined"
 * format, then the time taken in milliseconds and the hand-off session id ({@code -} for none):
 *
 * <pre>10.0.0.5 - - [21/Nov/2026:10:00:00 +0000] "GET /firmware/ilo5.bin HTTP/1.1" 200 33554432 "-" "curl/8.5.0" 412 3f9a0c1d2e4b5a69</pre>
 *
 * Lines are queued by the IO threads and written by the receiver's own thread, so no IO thread
 * ever waits for the disk. The receiver rotates the file daily ({@code access.YYYY-MM-DD.log}).
 * Session tokens sent as {@code ?session=} never reach the file: the request line shows them as
 * {@code session=-}.
 */
public final class AccessLog implements Lifecycle {
  public static final String FILE = "access.log";
  /**
   * Combined, with the request line replaced by one that hides session tokens. Ident and user are
   * written as {@code -}: Undertow's {@code %l %u} print nothing here (no identd, no HTTP users;
   * writes carry a token, not a name), and log tools expect the dashes. {@code %t} has its brackets.
   */
  private static final String BEFORE_TIME = "%h - - ";
  private static final String BEFORE_REQUEST = " \"";
  private static final String AFTER_REQUEST = "\" %s %b \"%{i,Referer}\" \"%{i,User-Agent}\" %D ";
  private static final Pattern TOKEN = Pattern.compile("(^|&)session=[^&]*");

  private final ExecutorService writer = Executors.newSingleThreadExecutor(Threads.daemon("access-log"));
  private final DefaultAccessLogReceiver receiver;
  private final ExchangeAttribute format;

  public AccessLog(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      writer.shutdown();
      throw new StartupException("cannot create the log directory " + dir + ": " + e.getMessage(), e);
    }
    receiver = DefaultAccessLogReceiver.builder().setLogWriteExecutor(writer).setOutputDirectory(dir)
        .setLogBaseName("access.").setLogNameSuffix("log").setRotate(true).build();
    ClassLoader loader = AccessLog.class.getClassLoader();
    format = new CompositeExchangeAttribute(new ExchangeAttribute[] {
        ExchangeAttributes.parser(loader).parse(BEFORE_TIME), new LogTime(),
        ExchangeAttributes.parser(loader).parse(BEFORE_REQUEST), new RequestLine(),
        ExchangeAttributes.parser(loader).parse(AFTER_REQUEST), new Session()});
  }

  /** Logs every request {@code next} answers, once it has ended. */
  public HttpHandler wrap(HttpHandler next) {
    return new AccessLogHandler(next, receiver, "combined %D session", format);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      receiver.close(); // queues the last lines for the writer
    } catch (NullPointerException nothingWritten) {
      // Undertow's receiver opens its file at the first line and flushes it unchecked at close:
      // a server that logged no request has nothing to flush.
    }
    writer.shutdown();
    if (!writer.awaitTermination(2, TimeUnit.SECONDS)) writer.shutdownNow();
  }

  /** {@code METHOD /path?query PROTOCOL}, with any {@code session=} value replaced by {@code -}. */
  private static final class RequestLine implements ExchangeAttribute {
    @Override
    public String readAttribute(HttpServerExchange exchange) {
      String query = exchange.getQueryString();
      String target = exchange.getRequestURI();
      if (query != null && !query.isEmpty()) target += "?" + TOKEN.matcher(query).replaceAll("$1session=-");
      return exchange.getRequestMethod() + " " + target + " " + exchange.getProtocol();
    }

    @Override
    public void writeAttribute(HttpServerExchange exchange, String value) throws ReadOnlyAttributeException {
      throw new ReadOnlyAttributeException("request line", value);
    }
  }

  /**
   * {@code %t}, formatted once a second: Undertow formats it with a SimpleDateFormat for every line,
   * which was half of the access log's cost on small requests. Same text: {@code [21/Nov/2026:10:00:00 +0000]}.
   */
  static final class LogTime implements ExchangeAttribute {
    private static final DateTimeFormatter FORMAT =
        DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.US).withZone(ZoneId.systemDefault());

    private record Second(long epochSecond, String text) {}

    private volatile Second last = new Second(Long.MIN_VALUE, "");

    @Override
    public String readAttribute(HttpServerExchange exchange) {
      long now = System.currentTimeMillis() / 1000;
      Second cached = last;
      if (cached.epochSecond() == now) return cached.text();
      String text = FORMAT.format(Instant.ofEpochSecond(now));
      last = new Second(now, text);
      return text;
    }

    @Override
    public void writeAttribute(HttpServerExchange exchange, String value) throws ReadOnlyAttributeException {
      throw new ReadOnlyAttributeException("time", value);
    }
  }

  /** The hand-off session id the gate attached, or {@code -}. */
  private static final class Session implements ExchangeAttribute {
    @Override
    public String readAttribute(HttpServerExchange exchange) {
      String id = exchange.getAttachment(Attachments.SESSION);
      return id == null ? "-" : id;
    }

    @Override
    public void writeAttribute(HttpServerExchange exchange, String value) throws ReadOnlyAttributeException {
      throw new ReadOnlyAttributeException("session", value);
    }
  }
}
