package io.smartupdate.transport;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import io.smartupdate.tls.TlsPolicy;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One XNIO worker, buffer pool and TLS context shared by every listener (the initial ports and
 * the hand-off ports), so a new listener costs a socket and nothing more. Constructed first, so
 * that the parts that bind ports through it exist before the handler that serves them.
 */
public final class HttpEngine implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(HttpEngine.class);
  private static final int BUFFER_SIZE = 16 * 1024 - 20;

  /** A bound listener; closing it frees the port at once. */
  public record Listener(AcceptingChannel<? extends StreamConnection> channel, int port) implements AutoCloseable {
    @Override
    public void close() {
      IoUtils.safeClose(channel);
    }
  }

  private final Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
  private final XnioWorker worker;
  private final HttpOpenListener open;
  private volatile GracefulShutdownHandler root;
  private volatile Consumer<StreamConnection> onAccept;
  private final ChannelListener<AcceptingChannel<StreamConnection>> acceptListener;
  private final ChannelListener<AcceptingChannel<StreamConnection>> tlsAcceptListener;
  private final ChannelListener<AcceptingChannel<StreamConnection>> initialAcceptListener;
  private final ChannelListener<AcceptingChannel<StreamConnection>> initialTlsAcceptListener;
  private final UndertowXnioSsl ssl;
  private final OptionMap socketOptions;
  private final OptionMap sslOptions;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param sslContext the HTTPS listeners' context ({@code TlsMaterial.httpsContext()})
   * @param limits connection caps and the write stall, on every listener including hand-off ports
   * @param tlsOutcomes told of each TLS handshake's outcome (the metrics)
   * @param proxyProtocol whether the initial ports ({@link #listen}) take a PROXY protocol header first
   *     (behind a load balancer); hand-off ports never do, BMCs reach them directly
   */
  public HttpEngine(SSLContext sslContext, Limits limits, TlsSniffer.Outcomes tlsOutcomes, boolean proxyProtocol) {
    // Behind a proxy every connection comes from the proxy's address: a per-address cap would cap
    // the whole service, so it is left to the proxy (HAProxy's maxconn) and only the total holds.
    ConnectionLimiter limiter = ConnectionLimiter.fitting(limits.maxConnections(),
        proxyProtocol ? limits.maxConnections() : limits.maxClientConnections());
    int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    try {
      worker = xnio.createWorker(OptionMap.builder()
          .set(Options.WORKER_NAME, "smartupdate")
          .set(Options.WORKER_IO_THREADS, ioThreads)
          .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 8)
          .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 8)
          .set(Options.TCP_NODELAY, true)
          .set(Options.CORK, true)
          .getMap());
    } catch (IOException e) {
      throw new StartupException("cannot start the network worker: " + e.getMessage(), e);
    }
    ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
    open = new HttpOpenListener(buffers, OptionMap.builder()
        .set(UndertowOptions.DECODE_URL, false) // firmware paths are decoded (and checked) by the firmware feature
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(limits.idle()))
        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(limits.requestHead()))
        .set(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
        .set(UndertowOptions.RECORD_REQUEST_START_TIME, true) // the access log's %D: one clock read per request
        .getMap());
    ChannelListener<StreamConnection> serve = connection -> {
      onAccept.accept(connection);
      open.handleEvent(connection);
    };
    // Counted as soon as they are accepted, before a byte is read, whatever the port.
    ChannelListener<StreamConnection> plain = connection -> {
      if (!limiter.admit(connection)) {
        IoUtils.safeClose(connection);
        return;
      }
      serve.handleEvent(connection);
      limiter.releaseOnClose(connection); // after Undertow's own close listener, which it keeps
    };
    acceptListener = ChannelListeners.openListenerAdapter(plain);
    socketOptions = OptionMap.builder()
        .set(Options.WORKER_IO_THREADS, ioThreads)
        .set(Options.TCP_NODELAY, true)
        .set(Options.REUSE_ADDRESSES, true)
        .set(Options.BALANCING_TOKENS, 1)
        .set(Options.BALANCING_CONNECTIONS, 2)
        .set(Options.BACKLOG, 1024)
        // A response that makes no progress this long (the client stopped reading) is cut; every
        // write that moves bytes starts the clock again, so a slow BMC that keeps reading is never cut.
        .set(Options.WRITE_TIMEOUT, millis(limits.writeStall()))
        .getMap();
    sslOptions = OptionMap.builder()
        .addAll(socketOptions)
        .set(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.NOT_REQUESTED)
        .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(TlsPolicy.PROTOCOLS))
        .set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(TlsPolicy.cipherSuites(sslContext)))
        .getMap();
    ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), sslContext);
    TlsSniffer sniffer = new TlsSniffer(ssl, sslOptions, serve, limits.requestHead().toMillis(), tlsOutcomes);
    // Nobody else listens for the raw connection's close: TLS wraps it and closes it when done.
    tlsAcceptListener = ChannelListeners.openListenerAdapter(admitted(limiter, sniffer));
    if (proxyProtocol) {
      ChannelListener<StreamConnection> plainAfterHeader = ProxyHeader.before(serve, open, buffers);
      ChannelListener<StreamConnection> tlsAfterHeader = ProxyHeader.before(sniffer, open, buffers);
      initialAcceptListener = ChannelListeners.openListenerAdapter(admitted(limiter, plainAfterHeader));
      initialTlsAcceptListener = ChannelListeners.openListenerAdapter(admitted(limiter, tlsAfterHeader));
    } else {
      initialAcceptListener = acceptListener;
      initialTlsAcceptListener = tlsAcceptListener;
    }
  }

  /** Counts the raw connection in (and out on close) before {@code next} reads anything from it. */
  private static ChannelListener<StreamConnection> admitted(ConnectionLimiter limiter, ChannelListener<StreamConnection> next) {
    return connection -> {
      if (!limiter.admit(connection)) {
        IoUtils.safeClose(connection);
        return;
      }
      // Undertow serves a wrapper of this connection (TLS, PROXY header), so its close listener is ours alone.
      limiter.releaseOnClose(connection);
      next.handleEvent(connection);
    };
  }

  /**
   * Sets what every listener serves; called once, before the first {@link #listen}.
   *
   * @param handler the root handler of every listener
   * @param accepted told of every accepted connection before it is served (hand-off tracks its sessions' connections)
   */
  public void serve(HttpHandler handler, Consumer<StreamConnection> accepted) {
    if (root != null) throw new IllegalStateException("the HTTP engine already serves a handler");
    root = new GracefulShutdownHandler(handler);
    onAccept = accepted;
    open.setRootHandler(root);
  }

  /**
   * Binds a listener on {@code port} (0 = any free port) with the SUM fallback rules. A TLS
   * listener accepts plain TCP and hands TLS connections on after a look at their first byte.
   */
  public Listener listen(String what, InetAddress address, int port, boolean strict, boolean tls) {
    requireServing();
    AcceptingChannel<? extends StreamConnection> channel = PortBinder.bind(what, address, port, strict,
        where -> worker.createStreamConnectionServer(where, tls ? initialTlsAcceptListener : initialAcceptListener, socketOptions));
    channel.resumeAccepts();
    Listener listener = new Listener(channel, ((InetSocketAddress) channel.getLocalAddress()).getPort());
    listeners.add(listener);
    return listener;
  }

  /**
   * Binds exactly {@code port} (no fallback); a port held by anyone else fails with a BindException.
   * Never takes a PROXY header: these are hand-off ports, which BMCs reach without the balancer.
   */
  public Listener listenExactly(InetAddress address, int port, boolean tls) throws IOException {
    requireServing();
    InetSocketAddress where = new InetSocketAddress(address, port);
    AcceptingChannel<? extends StreamConnection> channel =
        worker.createStreamConnectionServer(where, tls ? tlsAcceptListener : acceptListener, socketOptions);
    channel.resumeAccepts();
    return new Listener(channel, port);
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  private void requireServing() {
    if (root == null) throw new IllegalStateException("serve(handler) must come before the first listener");
  }

  /** Closes every listener (the ports are free at once); requests in flight go on. */
  @Override
  public void stopAccepting() {
    listeners.forEach(Listener::close);
    if (root != null) root.shutdown();
  }

  /** Waits for in-flight requests until {@code deadline}. */
  @Override
  public boolean awaitDrained(Instant deadline) throws InterruptedException {
    if (root == null) return true;
    if (root.awaitShutdown(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()))) return true;
    log.warn("in-flight requests still running at the end of the stop grace; closing them");
    return false;
  }

  @Override
  public void close() {
    listeners.forEach(Listener::close);
    worker.shutdown();
    try {
      if (!worker.awaitTermination(1, TimeUnit.SECONDS)) worker.shutdownNow();
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
