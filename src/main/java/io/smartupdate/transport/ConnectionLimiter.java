package io.smartupdate.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import io.smartupdate.core.ClientCounts;
import io.smartupdate.core.RateLimitedLog;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;

/**
 * Caps open connections in total and per client address, so that one host cannot take every
 * descriptor or all the memory. A connection over a cap is closed at once, before a byte is read,
 * with one rate-limited log line; the count drops when a connection closes, however it closes.
 */
final class ConnectionLimiter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

  /** Descriptors kept for files being served, the status database, listeners and logs. */
  static final int RESERVED_DESCRIPTORS = 256;

  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ClientCounts perClient;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10_000);

  ConnectionLimiter(int maxTotal, int maxPerClient) {
    if (maxTotal < 1 || maxPerClient < 1) throw new IllegalArgumentException("connection limits must be positive");
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
    this.perClient = new ClientCounts(maxPerClient);
  }

  /**
   * A limiter whose total cap fits the process's file descriptor limit: a download holds two (its
   * socket and its file), and the server keeps some for the database, listeners and logs. Running
   * out of descriptors would fail accepts and opens alike, so the cap is lowered, and said once.
   */
  static ConnectionLimiter fitting(int maxTotal, int maxPerClient) {
    long descriptors = descriptorLimit();
    int total = maxTotal;
    if (descriptors > 0 && maxTotal > (descriptors - RESERVED_DESCRIPTORS) / 2) {
      total = (int) Math.max(1, (descriptors - RESERVED_DESCRIPTORS) / 2);
      log.warn("this process may open {} files (ulimit -n), so it takes {} connections, not {} (/max_connections); "
          + "raise the limit (LimitNOFILE= in a systemd unit) to take more", descriptors, total, maxTotal);
    }
    return new ConnectionLimiter(total, Math.min(maxPerClient, total));
  }

  private static long descriptorLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
  }

  /** Counts {@code connection} in, or returns false (the caller closes it) when a cap is reached. */
  boolean admit(StreamConnection connection) {
    InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
    InetAddress client = peer == null ? null : peer.getAddress();
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      refusals.warn("refused a connection from {}: {} connections are open, the most this server takes (/max_connections)",
          client == null ? "?" : client.getHostAddress(), maxTotal);
      return false;
    }
    if (client != null && !perClient.acquire(client)) {
      total.decrementAndGet();
      refusals.warn("refused a connection from {}: it has {} open, the most one client may (/max_client_connections)",
          client.getHostAddress(), maxPerClient);
      return false;
    }
    return true;
  }

  /**
   * Decrements the counts when {@code connection} closes. Called after Undertow has set its own
   * close listener, which is kept and still runs.
   */
  void releaseOnClose(StreamConnection connection) {
    InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
    InetAddress client = peer == null ? null : peer.getAddress();
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        if (client != null) {
          release(client);
        } else {
          total.decrementAndGet();
        }
      }
    };
    ChannelListener<? super StreamConnection> undertows = connection.getCloseListener();
    connection.setCloseListener(closed -> {
      release.run();
      ChannelListeners.invokeChannelListener(closed, undertows);
    });
    if (!connection.isOpen()) release.run(); // closed before the listener was in place
  }

  private void release(InetAddress client) {
    total.decrementAndGet();
    perClient.release(client);
  }

  int open() {
    return total.get();
  }
}
