package io.smartupdate.firmware;

import io.smartupdate.core.RateLimitedLog;
import io.smartupdate.http.Attachments;
import io.smartupdate.objectstore.Arrival;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes a response body made of byte buffers and file regions without blocking the IO thread.
 * File regions go through {@code transferFrom}, which is sendfile(2) on plain HTTP (whole files
 * and ranges alike) and a copy through the TLS engine on HTTPS.
 */
final class BodyWriter implements ChannelListener<StreamSinkChannel> {
  private static final Logger log = LoggerFactory.getLogger(BodyWriter.class);
  // Clients drop downloads routinely (and resume them): a trace, at most one line a second.
  private static final RateLimitedLog cuts = new RateLimitedLog(log, 1_000);

  /** A body part: either {@code buffer}, or {@code length} bytes of the file from {@code position}. */
  record Part(ByteBuffer buffer, long position, long length) {
    static Part bytes(ByteBuffer buffer) {
      return new Part(buffer, 0, 0);
    }

    static Part file(long position, long length) {
      return new Part(null, position, length);
    }
  }

  /** Bytes sent with the headers in one write: small images need no second syscall. */
  private static final int FIRST_CHUNK = 16 * 1024;

  private final HttpServerExchange exchange;
  private final FirmwareRepository.OpenImage image;
  private final FileChannel file;
  private final List<Part> parts;
  private final ImageVersion version;
  /** Non-null while the image still arrives from a bucket: bytes past what it says are waited for, never read. */
  private final Arrival arrival;
  /** True while the handler that started this writer has not returned. */
  private boolean inHandler;
  private int index;
  private long done;
  private boolean headersFlushed;
  private boolean fileBytesSent;
  private final boolean tls;
  private ByteBuffer staging;
  private int staged;

  private BodyWriter(HttpServerExchange exchange, FirmwareRepository.OpenImage image, List<Part> parts) {
    this.exchange = exchange;
    this.image = image;
    this.file = image.channel();
    this.parts = new ArrayList<>(parts);
    this.version = image.version();
    this.arrival = image.arrival();
    this.tls = exchange.getConnection().getSslSessionInfo() != null;
  }

  /** Starts writing; the file channel is closed when the exchange ends, however it ends. */
  static void send(HttpServerExchange exchange, FirmwareRepository.OpenImage image, List<Part> parts) {
    exchange.addExchangeCompleteListener((ex, next) -> {
      try {
        image.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", image.version().path(), e.toString());
      }
      next.proceed();
    });
    BodyWriter writer = new BodyWriter(exchange, image, image.bytes() == null ? parts : inMemory(parts, image.bytes()));
    try {
      writer.readFirstChunk();
    } catch (IOException e) {
      log.debug("cannot read {}: {}", image.version().path(), e.toString());
      writer.abort();
      return;
    }
    writer.inHandler = true;
    try {
      writer.handleEvent(exchange.getResponseChannel());
    } finally {
      writer.inHandler = false;
    }
  }

  /** The parts with their file regions taken from {@code bytes}, the whole image read once. */
  private static List<Part> inMemory(List<Part> parts, ByteBuffer bytes) {
    List<Part> copy = new ArrayList<>(parts.size());
    for (Part part : parts) {
      if (part.buffer() != null) {
        copy.add(part);
      } else {
        ByteBuffer region = bytes.duplicate();
        region.limit((int) (part.position() + part.length())).position((int) part.position());
        copy.add(Part.bytes(region.slice()));
      }
    }
    return copy;
  }

  /**
   * Undertow's response conduit mishandles {@code transferFrom} while the headers are still
   * pending (it reads from the channel's own position and ignores the count), so the headers
   * always leave with a first chunk read here, and file regions are only transferred after a
   * successful flush.
   */
  private void readFirstChunk() throws IOException {
    Part first = parts.get(0);
    if (first.buffer() != null) return;
    int n = (int) Math.min(FIRST_CHUNK, first.length());
    if (arrival != null) arrival.await(first.position() + n); // on the worker thread: the headers wait for the first bytes
    ByteBuffer chunk = ByteBuffer.allocate(n);
    while (chunk.hasRemaining()) {
      if (file.read(chunk, first.position() + chunk.position()) < 0) {
        throw new IOException(version.path() + " is shorter than its recorded size");
      }
    }
    chunk.flip();
    fileBytesSent = true;
    parts.set(0, Part.bytes(chunk));
    if (first.length() > n) parts.add(1, Part.file(first.position() + n, first.length() - n));
  }

  @Override
  public void handleEvent(StreamSinkChannel sink) {
    try {
      while (index < parts.size()) {
        Part part = parts.get(index);
        boolean last = index == parts.size() - 1;
        long written = part.buffer() != null ? writeBuffer(sink, part.buffer()) : writeFile(sink, part, last);
        if (written < 0) return; // waiting for the socket; we will be called back
        index++;
        done = 0;
      }
      giveBackStaging();
      sink.suspendWrites();
      exchange.endExchange();
    } catch (ChangedInPlace e) {
      log.warn("{} was modified in place during a download; the connection was cut so the client sees an "
          + "incomplete transfer (replace images by renaming a new file over the old one)", version.path());
      exchange.putAttachment(Attachments.CUT, Attachments.CUT_REWRITE);
      abort();
    } catch (IOException e) {
      cuts.info("download of {} to {} cut after {} bytes: {}", version.path(), exchange.getSourceAddress(),
          exchange.getResponseBytesSent(), e.toString());
      abort();
    }
  }

  /** Thrown when the file's bytes changed under an open download; see {@link #ensureUnchanged}. */
  private static final class ChangedInPlace extends IOException {
    ChangedInPlace() {
      super(null, null);
    }
  }

  /**
   * Once file bytes have gone out, every further write first checks that the file was not
   * rewritten in place (a rename over it is fine: the open inode keeps the old bytes). The last
   * byte is always sent on its own after such a check, so a client can never receive a complete
   * response that mixes two versions.
   */
  private void ensureUnchanged() throws ChangedInPlace {
    if (fileBytesSent && image.rewrittenInPlace()) throw new ChangedInPlace();
  }

  private long writeBuffer(StreamSinkChannel sink, ByteBuffer buffer) throws IOException {
    if (done == 0 && index > 0) {
      ensureUnchanged();
      done = 1;
    }
    while (buffer.hasRemaining()) {
      if (sink.write(buffer) == 0) return waitForSocket(sink);
    }
    return 1;
  }

  private long writeFile(StreamSinkChannel sink, Part part, boolean last) throws IOException {
    if (!headersFlushed) {
      if (!sink.flush()) return waitForSocket(sink);
      headersFlushed = true;
    }
    if (tls) return copyFile(sink, part, last);
    while (done < part.length()) {
      ensureUnchanged();
      long remaining = part.length() - done;
      long count = readable(sink, part.position() + done, last && remaining > 1 ? remaining - 1 : remaining);
      if (count == 0) return -1; // woken when more has arrived
      long n = sink.transferFrom(file, part.position() + done, count);
      if (n == 0) {
        if (part.position() + done >= file.size()) {
          throw new IOException(version.path() + " was truncated during the download");
        }
        return waitForSocket(sink);
      }
      done += n;
      fileBytesSent = true;
    }
    return 1;
  }

  /**
   * TLS copies through the engine anyway, and transferFrom would hand it 8 KiB pieces (the JDK's
   * bounce buffer for non-socket targets): reading 64 KiB ourselves makes full 16 KiB records.
   */
  private long copyFile(StreamSinkChannel sink, Part part, boolean last) throws IOException {
    // Direct: the file is read straight into it and BoringSSL encrypts straight from it; a heap
    // buffer costs two more copies of every chunk (the JDK's bounce buffer, netty's direct copy).
    if (staging == null) {
      if (staged != 0) throw new IOException("the download of " + version.path() + " already ended"); // given back mid-chunk
      staging = StagingBuffers.take();
    }
    while (done < part.length()) {
      if (staged == 0) {
        ensureUnchanged();
        long remaining = part.length() - done;
        int count = (int) readable(sink, part.position() + done, Math.min(StagingBuffers.SIZE, last && remaining > 1 ? remaining - 1 : remaining));
        if (count == 0) return -1; // woken when more has arrived
        staging.clear().limit(count);
        long position = part.position() + done;
        while (staging.hasRemaining()) {
          if (file.read(staging, position + staging.position()) < 0) {
            throw new IOException(version.path() + " was truncated during the download");
          }
        }
        staging.flip();
        staged = count;
      }
      while (staging.hasRemaining()) {
        if (sink.write(staging) == 0) return waitForSocket(sink);
      }
      done += staged;
      staged = 0;
      fileBytesSent = true;
    }
    return 1;
  }

  /** Gives the staging buffer back once this writer is done with it: it never writes again after. */
  private void giveBackStaging() {
    ByteBuffer buffer = staging;
    staging = null;
    if (buffer != null) StagingBuffers.give(buffer);
  }

  /**
   * How many of {@code wanted} bytes from {@code position} have arrived; 0 when none has, and then
   * writes are suspended until the fill wakes this writer on its IO thread. A failed fill throws,
   * so the connection is cut before Content-Length and the client knows the body is incomplete.
   */
  private long readable(StreamSinkChannel sink, long position, long wanted) throws IOException {
    if (arrival == null) return wanted;
    while (true) {
      long arrived = arrival.arrived();
      if (arrived > position) return Math.min(wanted, arrived - position);
      sink.suspendWrites();
      if (inHandler) {
        // Undertow ends an exchange whose handler returns neither dispatched nor resumed: wait once it has returned.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> handleEvent(sink));
        return 0;
      }
      if (arrival.whenArrived(position, () -> exchange.getIoThread().execute(() -> handleEvent(sink)))) return 0;
    }
  }

  private long waitForSocket(StreamSinkChannel sink) {
    sink.getWriteSetter().set(this);
    sink.resumeWrites();
    return -1;
  }

  private void abort() {
    giveBackStaging();
    IoUtils.safeClose(exchange.getConnection());
  }
}
