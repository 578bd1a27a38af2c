package io.smartupdate.ftp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSocket;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionException;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.impl.DefaultFtpSession;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.IODataConnection;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.usermanager.impl.TransferRateRequest;

/**
 * FtpServer's data connections, except that plain passive ones are NIO channels, so a binary RETR
 * of a repository file leaves with {@code FileChannel.transferTo} (sendfile(2)) instead of
 * FtpServer's copy through 4 KiB buffers. FTPS data (PROT P), active mode (PORT), ASCII and
 * compressed transfers, rate-limited users, listings and uploads take FtpServer's own path.
 */
final class SendfileDataConnections extends IODataConnectionFactory {
  /** FtpIoSession's (private) key for the session's data connection factory, stable since FtpServer 1.0. */
  static final String SESSION_KEY = "org.apache.ftpserver.data-connection";
  /** Bytes per sendfile call: the written-bytes counter advances between them. */
  private static final long CHUNK = 16L * 1024 * 1024;
  /** Bytes sent by sendfile in this JVM: tells a test (or a debugger) which path downloads took. */
  private static final LongAdder SENT = new LongAdder();

  private final FtpIoSession session;
  private InetAddress controlAddress;
  private ServerSocketChannel passive; // guarded by this, as are the fields below
  private int passivePort;
  private InetAddress passiveAddress;
  private SocketChannel data;
  private long requestedMillis;

  private SendfileDataConnections(FtpServerContext context, FtpIoSession session) {
    super(context, session);
    this.session = session;
  }

  static long sentBySendfile() {
    return SENT.sum();
  }

  /** Makes this the factory of {@code session}; returns false when FtpServer did not take it (then nothing changes). */
  static boolean install(FtpServerContext context, FtpIoSession session) {
    SendfileDataConnections connections = new SendfileDataConnections(context, session);
    connections.setServerControlAddress(((InetSocketAddress) session.getLocalAddress()).getAddress());
    session.setAttribute(SESSION_KEY, connections);
    return session.getDataConnection() == connections;
  }

  @Override
  public synchronized void setServerControlAddress(InetAddress address) {
    controlAddress = address;
    super.setServerControlAddress(address);
  }

  @Override
  public synchronized InetSocketAddress initPassiveDataConnection() throws DataConnectionException {
    if (isSecure()) return super.initPassiveDataConnection(); // closes ours first, through closeDataConnection
    closeDataConnection();
    DataConnectionConfiguration config = session.getListener().getDataConnectionConfiguration();
    int port = config.requestPassivePort();
    if (port == -1) throw new DataConnectionException("Cannot find an available passive port.");
    try {
      InetAddress address = config.getPassiveAddress() == null ? controlAddress : InetAddress.getByName(config.getPassiveAddress());
      ServerSocketChannel channel = ServerSocketChannel.open();
      passive = channel;
      passivePort = port;
      passiveAddress = address;
      channel.bind(new InetSocketAddress(address, port));
      channel.socket().setSoTimeout(config.getIdleTime() * 1000);
      requestedMillis = System.currentTimeMillis();
      return new InetSocketAddress(address, ((InetSocketAddress) channel.getLocalAddress()).getPort());
    } catch (IOException e) {
      closeDataConnection();
      throw new DataConnectionException("Failed to initate passive data connection: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void initActiveDataConnection(InetSocketAddress address) {
    closeOwn();
    super.initActiveDataConnection(address);
  }

  @Override
  public DataConnection openConnection() throws Exception {
    ServerSocketChannel server;
    synchronized (this) {
      server = passive;
    }
    if (server == null) return super.openConnection();
    // Not under the lock: ABOR, QUIT and a stopping server close the channel to end the wait.
    Socket socket = server.socket().accept(); // honours the idle timeout; the socket keeps its channel
    DataConnectionConfiguration config = session.getListener().getDataConnectionConfiguration();
    InetAddress expected = ((InetSocketAddress) session.getRemoteAddress()).getAddress();
    if (config.isPassiveIpCheck() && !socket.getInetAddress().equals(expected)) {
      socket.close();
      closeDataConnection();
      throw new IOException("passive data connection from " + socket.getInetAddress() + ", expected " + expected);
    }
    socket.setSoTimeout(config.getIdleTime() * 1000);
    synchronized (this) {
      if (passive != server) { // closed meanwhile
        socket.close();
        throw new IOException("data connection closed");
      }
      data = socket.getChannel();
    }
    // PROT P after PASV: the data connection is TLS after all, wrapped as FtpServer wraps its own.
    if (isSecure()) return new IODataConnection(secured(socket, config), session, this);
    return new Sendfile(socket.getChannel(), new IODataConnection(socket, session, this));
  }

  private SSLSocket secured(Socket socket, DataConnectionConfiguration config) throws IOException {
    SslConfiguration ssl = config.getSslConfiguration() != null ? config.getSslConfiguration() : session.getListener().getSslConfiguration();
    if (ssl == null) throw new IOException("data connection TLS is not configured");
    SSLSocket tls;
    try {
      tls = (SSLSocket) ssl.getSocketFactory().createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot secure the data connection: " + e.getMessage(), e);
    }
    tls.setUseClientMode(false);
    if (ssl.getClientAuth() == ClientAuth.NEED) tls.setNeedClientAuth(true);
    else if (ssl.getClientAuth() == ClientAuth.WANT) tls.setWantClientAuth(true);
    if (ssl.getEnabledCipherSuites() != null) tls.setEnabledCipherSuites(ssl.getEnabledCipherSuites());
    if (ssl.getEnabledProtocols() != null) tls.setEnabledProtocols(ssl.getEnabledProtocols());
    tls.setSoTimeout(config.getIdleTime() * 1000);
    tls.startHandshake();
    return tls;
  }

  @Override
  public synchronized void closeDataConnection() {
    closeOwn();
    super.closeDataConnection();
  }

  private synchronized void closeOwn() {
    if (data != null) {
      // A thread blocked in sendfile is not woken by close(2) on the socket, but is by shutdown(2):
      // ABOR, QUIT and a stopping server must end a download whose client stopped reading.
      try {
        data.shutdownOutput();
      } catch (IOException ignored) {
        // not connected any more
      }
    }
    closeQuietly(data);
    data = null;
    if (passive != null) {
      closeQuietly(passive);
      session.getListener().getDataConnectionConfiguration().releasePassivePort(passivePort);
      passive = null;
    }
    requestedMillis = 0;
  }

  @Override
  public synchronized boolean isTimeout(long now) {
    if (passive == null) return super.isTimeout(now);
    int idleMillis = session.getListener().getDataConnectionConfiguration().getIdleTime() * 1000;
    return data == null && idleMillis > 0 && requestedMillis > 0 && now - requestedMillis >= idleMillis;
  }

  /** FtpServer's RETR, LIST and friends ask for this to tell whether PASV or PORT came first. */
  @Override
  public synchronized InetAddress getInetAddress() {
    return passive != null ? passiveAddress : super.getInetAddress();
  }

  @Override
  public synchronized int getPort() {
    return passive != null ? passive.socket().getLocalPort() : super.getPort();
  }

  /** A plain data connection: binary downloads of repository files by sendfile, the rest by FtpServer. */
  private final class Sendfile implements DataConnection {
    private final SocketChannel socket;
    private final IODataConnection copying;

    Sendfile(SocketChannel socket, IODataConnection copying) {
      this.socket = socket;
      this.copying = copying;
    }

    @Override
    public long transferToClient(FtpSession ftpSession, InputStream in) throws IOException {
      if (!(in instanceof RepoFile.Content content) || ftpSession.getDataType() != DataType.BINARY || isZipMode()
          || rateLimited(ftpSession)) {
        return copying.transferToClient(ftpSession, in);
      }
      FileChannel file = content.channel();
      long position = file.position();
      long sent = 0;
      try (socket) { // closed at the end, as FtpServer does: the client sees the end of the file before 226
        while (true) {
          long n = file.transferTo(position, CHUNK, socket); // a blocking socket: 0 only at the end of the file
          if (n <= 0) break;
          position += n;
          sent += n;
          SENT.add(n);
          if (ftpSession instanceof DefaultFtpSession counted) counted.increaseWrittenDataBytes((int) n);
        }
        return sent;
      } catch (IOException e) {
        closeDataConnection();
        throw e;
      }
    }

    @Override
    public void transferToClient(FtpSession ftpSession, String text) throws IOException {
      copying.transferToClient(ftpSession, text);
    }

    @Override
    public long transferFromClient(FtpSession ftpSession, OutputStream out) throws IOException {
      return copying.transferFromClient(ftpSession, out);
    }
  }

  private static void closeQuietly(Closeable closeable) {
    if (closeable == null) return;
    try {
      closeable.close();
    } catch (IOException ignored) {
      // a data socket that fails to close is gone anyway
    }
  }

  private static boolean rateLimited(FtpSession ftpSession) {
    if (ftpSession.getUser() == null) return false;
    TransferRateRequest rate = (TransferRateRequest) ftpSession.getUser().authorize(new TransferRateRequest());
    return rate != null && rate.getMaxDownloadRate() > 0;
  }
}
