package io.smartupdate.http;

import io.smartupdate.core.RateLimitedLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/** Reads a bounded JSON request body without blocking, mapping size and type problems to 413 and 415. */
public final class JsonBody {
  private static final Logger log = LoggerFactory.getLogger(JsonBody.class);
  /** What a buffer starts at: it grows with the bytes that really arrive, never with what a client announces. */
  private static final int INITIAL_BUFFER = 1024;
  /**
   * The whole body must arrive within this time (64 KiB in 10 s is 6.4 KiB/s, far below any real
   * client): a client that announces a body and trickles it would otherwise hold a buffer and a
   * connection for as long as it likes.
   */
  public static final long BODY_TIMEOUT_MILLIS = 10_000;
  private static final RateLimitedLog slowBodies = new RateLimitedLog(log, 10_000);
  /**
   * How far past the limit an announced body is still read (and thrown away) before the 413: a
   * server that closes with unread bytes in its socket sends a TCP reset, and the reset can destroy
   * the 413 before the client reads it. Beyond this the answer comes at once and the connection closes.
   */
  static final int DISCARD_LIMIT = 1024 * 1024;

  /** What to do with the complete body; may throw, and whatever it throws is answered by {@link HttpErrors}. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpServerExchange exchange, byte[] body) throws Exception;
  }

  private JsonBody() {}

  /** Like {@link #receive}, but a request without a body (and without a content type) is fine too. */
  public static void receiveOptional(HttpServerExchange exchange, int maxBytes, Handler handler) throws Exception {
    boolean noBody = announcedLength(exchange) <= 0 && !exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (noBody && exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE) == null) {
      handler.handle(exchange, new byte[0]);
      return;
    }
    receive(exchange, maxBytes, handler);
  }

  /**
   * Like {@link #receive}, for a handler that blocks (JDBC, fsync): the last chunk of a body may
   * arrive on an IO thread even when the route was dispatched, so the handler is moved to a worker.
   */
  public static void receiveBlocking(HttpServerExchange exchange, int maxBytes, Handler handler) {
    receive(exchange, maxBytes, (ex, body) -> {
      if (!ex.isInIoThread()) {
        handler.handle(ex, body);
        return;
      }
      ex.dispatch(worker -> {
        try {
          handler.handle(worker, body);
        } catch (Exception e) {
          HttpErrors.send(worker, e);
        }
      });
    });
  }

  public static void receive(HttpServerExchange exchange, int maxBytes, Handler handler) {
    String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (!isJson(type)) {
      throw new ApiError(415, "unsupported_media_type", "the body must be JSON sent as 'Content-Type: application/json'"
          + (type == null ? "" : ", not '" + type + "'"));
    }
    long announced = announcedLength(exchange);
    boolean refused = announced > maxBytes;
    if (refused && (announced - maxBytes > DISCARD_LIMIT || exchange.getRequestHeaders().contains(Headers.EXPECT))) {
      exchange.setPersistent(false); // a client waiting for 100 Continue sends nothing more; a huge body is not worth reading
      throw tooLarge(maxBytes);
    }
    // Counted here rather than with Undertow's max-entity-size, which prints a stack trace for
    // every oversized chunked body (a log flood anyone could trigger).
    ByteArrayOutputStream body = new ByteArrayOutputStream(refused ? 0 : INITIAL_BUFFER);
    Deadline deadline = new Deadline();
    exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
      if (refused) { // read to its end and kept nowhere, so that the 413 is not lost to a reset
        if (!last) return;
        deadline.cancel();
        HttpErrors.send(ex, tooLarge(maxBytes));
        return;
      }
      if (body.size() + chunk.length > maxBytes) {
        deadline.cancel();
        ex.getRequestReceiver().pause();
        ex.setPersistent(false);
        HttpErrors.send(ex, tooLarge(maxBytes));
        return;
      }
      body.write(chunk, 0, chunk.length);
      if (!last) return;
      deadline.cancel();
      try {
        handler.handle(ex, body.toByteArray());
      } catch (Exception e) {
        HttpErrors.send(ex, e);
      }
    }, (ex, e) -> {
      deadline.cancel();
      log.debug("request body of {} {} not received: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
      IoUtils.safeClose(ex.getConnection());
    });
    deadline.arm(exchange);
  }

  /** Whether a Content-Type is {@code application/json}, parameters (charset) aside, in any case. */
  static boolean isJson(String type) {
    if (type == null) return false;
    int end = type.indexOf(';');
    String media = (end < 0 ? type : type.substring(0, end)).trim();
    return media.equalsIgnoreCase("application/json");
  }

  /**
   * The whole body must arrive within {@link #BODY_TIMEOUT_MILLIS}. A small body usually came with
   * the headers and has been handled before {@link #arm} runs: then no timer is set at all (setting
   * and removing one cost a lock and a tree insertion on every post).
   */
  private static final class Deadline {
    private volatile boolean over;
    private volatile XnioExecutor.Key key;

    void arm(HttpServerExchange exchange) {
      if (over) return;
      key = exchange.getIoThread().executeAfter(() -> {
        slowBodies.warn("closed a connection from {}: its {} {} body did not arrive within {} s",
            exchange.getSourceAddress(), exchange.getRequestMethod(), exchange.getRequestPath(), BODY_TIMEOUT_MILLIS / 1000);
        IoUtils.safeClose(exchange.getConnection());
      }, BODY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      if (over) cancel(); // the body ended (on another thread) while the timer was being set
    }

    void cancel() {
      over = true;
      XnioExecutor.Key armed = key;
      if (armed != null) armed.remove();
    }
  }

  /**
   * The Content-Length the client announced, -1 when there is none, {@link Long#MAX_VALUE} when it does not fit a long.
   * Read here because Undertow's own accessor throws on a number too long for a long.
   */
  private static long announcedLength(HttpServerExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    if (value == null) return -1;
    String digits = value.trim();
    boolean number = !digits.isEmpty();
    for (int i = 0; i < digits.length(); i++) number &= digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
    if (!number) {
      exchange.setPersistent(false);
      throw ApiError.badRequest("Content-Length '" + value + "' is not a number of bytes");
    }
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') start++; // leading zeros say nothing
    // 19 digits or more cannot be a long; it is too large either way.
    return digits.length() - start > 18 ? Long.MAX_VALUE : Long.parseLong(digits, start, digits.length(), 10);
  }

  private static ApiError tooLarge(int maxBytes) {
    return new ApiError(413, "payload_too_large", "the body is limited to " + maxBytes / 1024 + " KiB");
  }
}
