package io.smartupdate.ftp;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import io.smartupdate.firmware.RepositoryPolicy;
import io.smartupdate.tls.TlsException;
import io.smartupdate.tls.TlsMaterial;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional FTP service: Apache FtpServer over the firmware repository, read-only for everyone.
 *
 * <ul>
 *   <li>Logins: {@code anonymous} with any password, plus the named users of
 *       {@link FtpConfig#usersFile()} (format and hash tool: {@link FtpPasswordHash}).
 *   <li>Read-only: uploads, deletes, renames, MKD/RMD, MFMT and SITE answer 550; nobody holds a
 *       write permission. Nothing outside the repository is reachable ({@code ..} above the root is
 *       refused, symlinks leading out are not followed); hidden names (".x") do not exist.
 *   <li>Passive data ports from {@link FtpConfig#passiveRange()}, announced on the control
 *       connection's local address; active mode stays on, both checked against the client's IP.
 *       REST, SIZE and MDTM work.
 *   <li>Explicit FTPS (AUTH TLS, then PBSZ 0 / PROT P) with the server's certificate and
 *       {@link io.smartupdate.tls.TlsPolicy}; plain FTP stays allowed, BMCs need it.
 * </ul>
 *
 * <p>Logging: client IO errors are DEBUG here, but FtpServer and MINA log each login and download
 * at INFO, failed logins and aborted downloads at WARN, connection resets at ERROR. The composition
 * root should set the levels in {@link #LOG_LEVELS} so a client cannot fill the log.
 *
 * <p>Throughput: plain passive binary downloads leave by sendfile ({@link SendfileDataConnections});
 * FTPS, active mode and ASCII go through FtpServer's 4 KiB copy. {@code bench/bench-vs-nginx --figures ftp}
 * compares a 1 GiB RETR with vsftpd's, interleaved.
 *
 * <pre>{@code
 * try (FtpService ftp = FtpService.start(FtpConfig.onPort(2121), null, false, repo, tls)) {
 *   // curl --ssl-reqd -k -O ftp://127.0.0.1:2121/ilo5_281.bin   (or plain: curl -O ftp://...)
 * }
 * }</pre>
 */
public final class FtpService implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(FtpService.class);
  // Concurrent logins (anonymous included), and as many worker threads: a download holds one while it runs.
  static final int MAX_LOGINS = 128;

  /** Logger name to level (logback names) that keep FtpServer and MINA quiet about what clients do. */
  public static final Map<String, String> LOG_LEVELS = Map.of(
      "org.apache.ftpserver", "WARN",
      // Every failed login, at WARN: rate-limited per connection only, not per client.
      "org.apache.ftpserver.command.impl.PASS", "ERROR",
      // Every download a client aborts, at WARN with a stack trace.
      "org.apache.ftpserver.impl.IODataConnection", "ERROR",
      "org.apache.mina", "WARN",
      // Every connection reset, at ERROR.
      "org.apache.mina.core.service.IoProcessor", "OFF");

  private final FtpServer server;
  private final FtpListener listener;
  private final int port;
  private final String passiveRange;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FtpService(FtpServer server, FtpListener listener, int port, String passiveRange) {
    this.server = server;
    this.listener = listener;
    this.port = port;
    this.passiveRange = passiveRange;
  }

  /**
   * Starts the service on {@code config.port()} (0 = any free port; a taken port falls back upward
   * unless {@code strictPorts}), bound to {@code bindAddress} (null = all interfaces). All or
   * nothing: on any failure whatever started is stopped and a {@link StartupException} is thrown.
   */
  public static FtpService start(FtpConfig config, String bindAddress, boolean strictPorts, Path repoRoot, TlsMaterial tls) {
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(repoRoot, "repoRoot == null");
    Objects.requireNonNull(tls, "tls == null");
    Path root;
    try {
      root = RepositoryPolicy.realRoot(repoRoot);
    } catch (StartupException e) {
      throw new StartupException("FTP: " + e.getMessage(), e);
    }
    InetAddress address = PortBinder.address(bindAddress);
    RepoUsers users = config.usersFile() == null ? RepoUsers.anonymousOnly(root) : RepoUsers.withFile(root, config.usersFile());
    SslConfiguration ssl;
    try {
      ssl = new PolicySslConfiguration(tls.sslContext());
    } catch (TlsException e) {
      throw new StartupException(e.getMessage(), e); // already names the certificate's source
    }
    FtpListener listener = new FtpListener(address, config.port(), strictPorts, MAX_LOGINS, ssl, dataConnections(config, ssl));

    FtpServerFactory factory = new FtpServerFactory();
    factory.addListener("default", listener); // replaces FtpServer's default listener on port 21
    factory.setUserManager(users);
    factory.setFileSystem(new RepoFileSystem(root));
    Map<String, Ftplet> ftplets = new LinkedHashMap<>();
    ftplets.put("read-only", new ReadOnlyFtplet());
    factory.setFtplets(ftplets);
    ConnectionConfigFactory connections = new ConnectionConfigFactory();
    connections.setAnonymousLoginEnabled(true);
    connections.setMaxLogins(MAX_LOGINS);
    connections.setMaxAnonymousLogins(MAX_LOGINS);
    factory.setConnectionConfig(connections.createConnectionConfig());

    FtpServer server = factory.createServer();
    try {
      server.start();
    } catch (FtpException | RuntimeException e) {
      server.stop();
      if (e instanceof StartupException startup) throw startup;
      throw new StartupException("FTP service cannot start: " + e.getMessage(), e);
    }
    log.info("FTP on port {} (read-only, anonymous{}; passive ports {}; explicit FTPS)", listener.getPort(),
        config.usersFile() == null ? "" : " and users of " + config.usersFile(), config.passiveRange());
    return new FtpService(server, listener, listener.getPort(), config.passiveRange());
  }

  /** The control port actually bound. */
  public int port() {
    return port;
  }

  /** Control connections open now; a session's close events have all run once it is no longer counted. */
  int sessions() {
    return listener.getActiveSessions().size();
  }

  /** The passive data port range, "A-B". */
  public String passiveRange() {
    return passiveRange;
  }

  /** Stops the server: the control port is free when this returns, running transfers are aborted. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    server.stop();
    log.info("FTP on port {} stopped", port);
  }

  private static DataConnectionConfiguration dataConnections(FtpConfig config, SslConfiguration ssl) {
    DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
    data.setPassivePorts(config.passiveRange());
    // A data connection must come from the client's own address: no passive port stealing, no
    // PORT bounce to a third host.
    data.setPassiveIpCheck(true);
    data.setActiveEnabled(true);
    data.setActiveIpCheck(true);
    data.setSslConfiguration(ssl);
    data.setImplicitSsl(false);
    return data.createDataConnectionConfiguration();
  }
}
