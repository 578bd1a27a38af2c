package io.smartupdate.downloads;

import io.smartupdate.http.Attachments;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.URLUtils;
import java.net.InetAddress;
import java.time.Instant;

/**
 * One firmware response, from the request to the end of the exchange. The IO thread writes it
 * twice (when the headers are committed, when the exchange ends); readers on other threads see
 * volatile fields. Bytes sent are never counted here: see {@link #sent()}.
 */
final class Download {
  static final String IN_FLIGHT = "in_flight";
  static final String COMPLETE = "complete";
  static final String CUT_BY_CLIENT = "cut_by_client";
  static final String CUT_BY_REWRITE = "cut_by_rewrite";
  static final String REFUSED = "refused";
  /** Sent by another server that went silent (killed, cut off) before the download ended. */
  static final String INTERRUPTED = "interrupted";
  /** Paths and Range headers may be up to the 64 KiB header limit; the ring keeps 1,000 of them, so they are clipped. */
  private static final int MAX_TEXT = 512;

  /** The number of the id ({@code d-N}); the id and the client's address are made into text only for a snapshot. */
  private final long number;
  private final InetAddress clientAddress;
  final String path;
  final String range;
  final String scheme;
  final Instant started;
  private final boolean head;
  private volatile HttpServerExchange exchange;
  private volatile String session;
  private volatile long length = -1;
  private volatile long size = -1;
  private volatile long sent;
  private volatile Instant ended;
  private volatile String result = IN_FLIGHT;
  /** The bytes sent in the last published snapshot; only the publishing thread touches it. */
  long published = -1;

  Download(long number, HttpServerExchange exchange, Instant started) {
    this.number = number;
    this.exchange = exchange;
    this.clientAddress = exchange.getSourceAddress().getAddress();
    this.path = clip(decoded(exchange.getRequestPath()));
    this.range = clip(exchange.getRequestHeaders().getFirst(Headers.RANGE));
    this.scheme = exchange.getRequestScheme();
    this.head = exchange.getRequestMethod().equalToString("HEAD");
    this.started = started;
  }

  /**
   * Bytes of the body sent so far. While in flight this reads the exchange's own counter, a plain
   * long that Undertow advances on every write (sendfile included), so the download path pays
   * nothing for the record. The read races with the IO thread and may lag by a write, which a
   * progress display tolerates; a 64-bit JVM never tears it. At the end the exact count is copied.
   */
  long sent() {
    HttpServerExchange live = exchange;
    return live != null ? live.getResponseBytesSent() : sent;
  }

  /** The hand-off session the response went through, once its headers are out; null otherwise. */
  String session() {
    return session;
  }

  boolean inFlight() {
    return exchange != null;
  }

  /** The headers are going out: what the response will be is known now. IO thread. */
  void committed(HttpServerExchange ex) {
    session = ex.getAttachment(Attachments.SESSION);
    Long file = ex.getAttachment(Attachments.FILE_SIZE);
    if (file != null) size = file;
    long declared = ex.getResponseContentLength();
    length = head || ex.getStatusCode() == 304 ? 0 : declared;
  }

  /** The exchange ended, however it ended. IO thread. */
  void ended(HttpServerExchange ex, Instant now) {
    if (ended != null) return;
    committed(ex);
    long bytes = ex.getResponseBytesSent();
    int status = ex.getStatusCode();
    sent = bytes;
    if (status >= 400) {
      result = REFUSED;
    } else if (ex.getAttachment(Attachments.CUT) != null) {
      result = CUT_BY_REWRITE;
    } else if (length >= 0 && bytes < length) {
      result = CUT_BY_CLIENT;
    } else {
      result = COMPLETE;
    }
    ended = now;
    exchange = null; // after the fields above: a reader that sees null sees them too
  }

  /** A snapshot, as this server ({@code server}) shows and shares it. */
  DownloadRecord view(String server) {
    long sentNow = sent();
    long lengthNow = length;
    long sizeNow = size;
    return new DownloadRecord("d-" + number, clientAddress.getHostAddress(), path, range, sentNow, lengthNow < 0 ? null : lengthNow, sizeNow < 0 ? null : sizeNow,
        started, ended, result, scheme, session, server);
  }

  /** The path as the file is named: the engine leaves URLs encoded, and the record is searched by name. */
  private static String decoded(String raw) {
    if (raw.indexOf('%') < 0) return raw;
    try {
      return URLUtils.decode(raw, "UTF-8", true, new StringBuilder());
    } catch (RuntimeException malformed) { // the firmware feature refuses it; the record keeps what came
      return raw;
    }
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
  }
}
