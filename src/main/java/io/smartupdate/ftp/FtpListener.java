package io.smartupdate.ftp;

import io.smartupdate.core.PortBinder;
import io.smartupdate.core.Threads;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.MalformedInputException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.DefaultFtpHandler;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerDataConnectionFactory;
import org.apache.ftpserver.ipfilter.SessionFilter;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.nio.AbstractListener;
import org.apache.ftpserver.listener.nio.FtpHandlerAdapter;
import org.apache.ftpserver.listener.nio.FtpServerProtocolCodecFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.filter.logging.MdcInjectionFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-port listener: FtpServer's NIO listener rebuilt for three reasons. It binds with
 * {@link PortBinder}; client-side failures (resets, failed TLS handshakes, garbage) are logged at
 * DEBUG instead of ERROR with a stack trace (an attacker must not be able to flood the log); and
 * stopping aborts running transfers, then retires its own worker pool after the last session's
 * close event, so shutdown neither waits for a slow client nor logs rejected events.
 */
final class FtpListener extends AbstractListener {
  private static final Logger log = LoggerFactory.getLogger(FtpListener.class);

  // Transfers were aborted just before; what is left are close events, done in milliseconds.
  private static final int STOP_WAIT_SECONDS = 2;

  private final InetAddress address;
  private final boolean strict;
  private final int maxThreads;
  private NioSocketAcceptor acceptor;
  private OrderedThreadPoolExecutor workers;
  private FtpServerContext context;

  FtpListener(InetAddress address, int port, boolean strict, int maxThreads, SslConfiguration ssl,
      DataConnectionConfiguration data) {
    super(address == null ? null : address.getHostAddress(), port, false, ssl, data, RepoUsers.IDLE_SECONDS,
        (SessionFilter) null);
    this.address = address;
    this.strict = strict;
    this.maxThreads = maxThreads;
  }

  @Override
  public synchronized void start(FtpServerContext serverContext) {
    if (acceptor != null) throw new IllegalStateException("FTP listener already started");
    NioSocketAcceptor created = new NioSocketAcceptor(Runtime.getRuntime().availableProcessors());
    // Commands (and the downloads they run) execute here, in order per session. The listener owns this
    // pool rather than borrowing FtpServer's, so that stop() can retire it only after the last
    // session's close event has run: no events rejected by a pool already shut down.
    OrderedThreadPoolExecutor pool = new OrderedThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, Threads.daemon("ftp"));
    try {
      // SO_REUSEADDR lets a restart bind while old connections linger in TIME_WAIT; a live listener still conflicts.
      created.setReuseAddress(true);
      created.getSessionConfig().setReadBufferSize(2048);
      created.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, getIdleTimeout());
      // The control connection carries short command lines only.
      created.getSessionConfig().setReceiveBufferSize(512);
      MdcInjectionFilter mdc = new MdcInjectionFilter();
      created.getFilterChain().addLast("mdcFilter", mdc);
      created.getFilterChain().addLast("threadPool", new ExecutorFilter(pool));
      created.getFilterChain().addLast("codec", new ProtocolCodecFilter(new FtpServerProtocolCodecFactory()));
      created.getFilterChain().addLast("mdcFilter2", mdc);
      // FtpServer's FtpLoggingFilter is left out: it logs every command at INFO.
      QuietFtpHandler handler = new QuietFtpHandler();
      handler.init(serverContext, this);
      created.setHandler(new FtpHandlerAdapter(serverContext, handler));
      PortBinder.bind("FTP", address, getPort(), strict, where -> {
        created.bind(where);
        return where;
      });
      setPort(created.getLocalAddress().getPort());
    } catch (RuntimeException e) {
      created.dispose();
      pool.shutdownNow();
      throw e;
    }
    acceptor = created;
    workers = pool;
    context = serverContext;
  }

  @Override
  public synchronized void stop() {
    if (acceptor == null) return;
    for (IoSession session : acceptor.getManagedSessions().values()) {
      // A download runs on a pool thread until its data socket closes; close it so shutdown does not wait.
      ServerDataConnectionFactory data = new FtpIoSession(session, context).getDataConnection();
      if (data != null) data.closeDataConnection();
    }
    acceptor.unbind();
    // Waits until the IO threads have handed every session's close event to the workers.
    acceptor.dispose(true);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("FTP workers still busy {} s after stop; abandoning them", STOP_WAIT_SECONDS);
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    acceptor = null;
    workers = null;
    context = null;
  }

  @Override
  public synchronized boolean isStopped() {
    return acceptor == null;
  }

  @Override
  public boolean isSuspended() {
    return false;
  }

  /** Not used by smartupdate: the service is started once and closed once. */
  @Override
  public void suspend() {
    throw new UnsupportedOperationException("the FTP listener cannot be suspended; close the service instead");
  }

  @Override
  public void resume() {
    throw new UnsupportedOperationException("the FTP listener cannot be suspended; close the service instead");
  }

  @Override
  public synchronized Set<FtpIoSession> getActiveSessions() {
    Set<FtpIoSession> sessions = new HashSet<>();
    if (acceptor == null) return sessions;
    for (IoSession session : acceptor.getManagedSessions().values()) sessions.add(new FtpIoSession(session, context));
    return sessions;
  }

  /**
   * FtpServer's handler with client-caused failures demoted to DEBUG, and sendfile data connections
   * ({@link SendfileDataConnections}) in every session.
   */
  static final class QuietFtpHandler extends DefaultFtpHandler {
    private static final AtomicBoolean copyWarned = new AtomicBoolean();
    private FtpServerContext context;

    @Override
    public void init(FtpServerContext serverContext, Listener listener) {
      super.init(serverContext, listener);
      context = serverContext;
    }

    @Override
    public void sessionCreated(FtpIoSession session) throws Exception {
      super.sessionCreated(session);
      if (!SendfileDataConnections.install(context, session) && !copyWarned.getAndSet(true)) {
        log.warn("FTP downloads are copied through FtpServer's buffers: this FtpServer version did not take the sendfile data connections");
      }
    }

    @Override
    public void exceptionCaught(FtpIoSession session, Throwable cause) throws Exception {
      if (cause instanceof ProtocolDecoderException && cause.getCause() instanceof MalformedInputException) {
        // What FtpServer does (501, the session stays), minus its WARN line per bad command.
        log.debug("FTP client {} sent an undecodable command", session.getRemoteAddress());
        session.write(new DefaultFtpReply(FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
            "Invalid character in command"));
        return;
      }
      if (clientSide(cause)) {
        log.debug("FTP client {} dropped: {}", session.getRemoteAddress(), cause.toString());
        session.closeNow();
        return;
      }
      super.exceptionCaught(session, cause);
    }

    static boolean clientSide(Throwable cause) {
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof IOException || t instanceof ProtocolDecoderException) return true;
      }
      return false;
    }
  }
}
