package io.smartupdate.transport;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.util.ImmediatePooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;
import org.xnio.ssl.SslConnection;

/**
 * In front of an HTTPS listener: a connection whose first byte opens a TLS handshake record goes
 * on to TLS unchanged (the byte is pushed back); anything else, typically plain HTTP sent to the
 * HTTPS port by mistake, gets a short 400 that says to use https, instead of a TLS alert that
 * curl or a BMC would show as gibberish.
 */
public final class TlsSniffer implements ChannelListener<StreamConnection> {
  /** Told of each TLS connection's outcome: its handshake completed, or it closed before that. */
  public record Outcomes(Runnable handshake, Runnable failure) {
    static final Outcomes NONE = new Outcomes(() -> {}, () -> {});
  }

  private static final byte TLS_HANDSHAKE = 0x16;
  private static final byte[] USE_HTTPS = response(
      "{\"error\":\"use_https\",\"detail\":\"this port speaks HTTPS: use an https:// URL (plain HTTP has a port of its own)\"}");

  private final UndertowXnioSsl ssl;
  private final OptionMap sslOptions;
  private final ChannelListener<StreamConnection> next;
  private final long firstByteMillis;
  private final Outcomes outcomes;

  /** @param firstByteMillis how long a new connection may stay silent before it is closed */
  TlsSniffer(UndertowXnioSsl ssl, OptionMap sslOptions, ChannelListener<StreamConnection> next, long firstByteMillis,
      Outcomes outcomes) {
    this.ssl = ssl;
    this.sslOptions = sslOptions;
    this.next = next;
    this.firstByteMillis = firstByteMillis;
    this.outcomes = outcomes;
  }

  @Override
  public void handleEvent(StreamConnection connection) {
    ConduitStreamSourceChannel source = connection.getSourceChannel();
    PushBackStreamSourceConduit pushBack = new PushBackStreamSourceConduit(source.getConduit());
    source.setConduit(pushBack);
    ByteBuffer first = ByteBuffer.allocate(1);
    XnioExecutor.Key silence = connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection),
        firstByteMillis, TimeUnit.MILLISECONDS);
    source.getReadSetter().set(channel -> {
      int n;
      try {
        n = channel.read(first);
      } catch (IOException e) {
        n = -1;
      }
      if (n == 0) return; // nothing yet: called again when the byte comes
      silence.remove();
      channel.suspendReads();
      channel.getReadSetter().set(null);
      if (n < 0) {
        IoUtils.safeClose(connection);
        return;
      }
      first.flip();
      pushBack.pushBack(new ImmediatePooled<>(first));
      if (first.get(0) == TLS_HANDSHAKE) {
        SslConnection tls = ssl.wrapExistingConnection(connection, sslOptions, false);
        watchHandshake(connection, tls);
        next.handleEvent(tls);
      } else {
        refuse(connection);
      }
    });
    source.resumeReads();
  }

  /**
   * Counts the handshake when the TLS layer reports it done, or a failure when the raw connection
   * closes first (bad certificate for the client, wrong protocol, a scanner). The close listener
   * goes on the raw connection, chained before the one already there: the TLS wrapper's own close
   * setter belongs to Undertow.
   */
  private void watchHandshake(StreamConnection raw, SslConnection tls) {
    AtomicBoolean done = new AtomicBoolean();
    tls.getHandshakeSetter().set(c -> {
      if (done.compareAndSet(false, true)) outcomes.handshake().run();
    });
    ChannelListener<? super StreamConnection> before = raw.getCloseListener();
    raw.setCloseListener(closed -> {
      if (done.compareAndSet(false, true)) outcomes.failure().run();
      ChannelListeners.invokeChannelListener(closed, before);
    });
  }

  /** One small write into an empty socket buffer, then close: nothing here waits for the client. */
  private static void refuse(StreamConnection connection) {
    try {
      connection.getSinkChannel().write(ByteBuffer.wrap(USE_HTTPS));
      connection.getSinkChannel().shutdownWrites();
      connection.getSinkChannel().flush();
    } catch (IOException e) {
      // the client went away; nothing to tell it
    } finally {
      IoUtils.safeClose(connection);
    }
  }

  private static byte[] response(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    byte[] all = new byte[head.length() + body.length];
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, all, 0, head.length());
    System.arraycopy(body, 0, all, head.length(), body.length);
    return all;
  }
}
