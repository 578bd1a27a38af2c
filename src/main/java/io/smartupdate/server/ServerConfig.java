package io.smartupdate.server;

import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.objectstore.ObjectStoreConfig;
import io.smartupdate.transport.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the server needs to start; paths are already resolved by the caller. Built with
 * {@link #builder()}, whose defaults are the command line's.
 *
 * @param bindAddress listen address, or null for all interfaces
 * @param certFile operator certificate (PEM or PKCS#12), or null to use/generate {@code certsDir}
 * @param keyFile operator key (PEM), or null when {@code certFile} holds it
 * @param statusDb JDBC URL of the status store, or null for SQLite in {@code dataDir}
 * @param insecureWrites accept unauthenticated writes (labs only)
 * @param handoff the hand-off port range and timeouts
 * @param ftp the FTP service, or null when it is off
 * @param firewall whether to open the used ports in the host firewall for the run
 * @param shutdownGrace how long a stop waits for in-flight responses
 * @param limits what one client, or all of them, may hold of the server
 * @param logDir where {@code access.log} goes, or null for no access log
 * @param objectStore the repository in object storage, or null to serve {@code repo} (then the cache's directory)
 * @param proxyProtocol the HTTP and HTTPS ports take a PROXY protocol header first (behind HAProxy's send-proxy-v2)
 */
public record ServerConfig(String bindAddress, int httpPort, int httpsPort, boolean strictPorts, Path repo,
    Path certsDir, Path dataDir, Path certFile, Path keyFile, String statusDb, boolean insecureWrites, HandoffConfig handoff,
    FtpConfig ftp, FirewallMode firewall, Duration shutdownGrace, Limits limits, Path logDir, ObjectStoreConfig objectStore,
    boolean proxyProtocol) {
  public static final int DEFAULT_HTTP_PORT = 63001;
  public static final int DEFAULT_HTTPS_PORT = 63002;

  public ServerConfig {
    checkPort("httpPort", httpPort);
    checkPort("httpsPort", httpsPort);
    Objects.requireNonNull(repo, "repo == null");
    Objects.requireNonNull(certsDir, "certsDir == null");
    Objects.requireNonNull(dataDir, "dataDir == null");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace == null");
    Objects.requireNonNull(handoff, "handoff == null");
    Objects.requireNonNull(firewall, "firewall == null");
    Objects.requireNonNull(limits, "limits == null");
    if (keyFile != null && certFile == null) throw new IllegalArgumentException("keyFile given without certFile");
    if (objectStore != null && ftp != null) {
      throw new IllegalArgumentException("ftp serves a local directory; it cannot serve a repository in object storage (" + objectStore.url() + ")");
    }
    if (bindAddress != null && bindAddress.isBlank()) bindAddress = null;
    if (statusDb != null && statusDb.isBlank()) statusDb = null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults of the command line with ports 0 (any free port), for tests and embedding. */
  public static ServerConfig ephemeral(Path repo, Path certsDir, Path dataDir) {
    return builder().repo(repo).certsDir(certsDir).dataDir(dataDir).httpPort(0).httpsPort(0).build();
  }

  public Builder toBuilder() {
    return new Builder().bindAddress(bindAddress).httpPort(httpPort).httpsPort(httpsPort).strictPorts(strictPorts)
        .repo(repo).certsDir(certsDir).dataDir(dataDir).operatorCertificate(certFile, keyFile).statusDb(statusDb)
        .insecureWrites(insecureWrites).handoff(handoff).ftp(ftp).firewall(firewall).shutdownGrace(shutdownGrace)
        .limits(limits).logDir(logDir).objectStore(objectStore).proxyProtocol(proxyProtocol);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " " + port + " is not in 0-65535");
  }

  /** Collects the settings; {@link #build} checks them together. */
  public static final class Builder {
    private ObjectStoreConfig objectStore;
    private String bindAddress;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int httpsPort = DEFAULT_HTTPS_PORT;
    private boolean strictPorts;
    private Path repo;
    private Path certsDir;
    private Path dataDir;
    private Path certFile;
    private Path keyFile;
    private String statusDb;
    private boolean insecureWrites;
    private HandoffConfig handoff = HandoffConfig.DEFAULT;
    private FtpConfig ftp;
    private FirewallMode firewall = FirewallMode.OFF;
    private Duration shutdownGrace = Duration.ofSeconds(4);
    private Limits limits = Limits.DEFAULT;
    private Path logDir;
    private boolean proxyProtocol;

    private Builder() {}

    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    public Builder httpsPort(int port) {
      this.httpsPort = port;
      return this;
    }

    public Builder strictPorts(boolean strict) {
      this.strictPorts = strict;
      return this;
    }

    public Builder repo(Path dir) {
      this.repo = dir;
      return this;
    }

    public Builder certsDir(Path dir) {
      this.certsDir = dir;
      return this;
    }

    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The operator's certificate and key (key null when the certificate file holds it); both null to generate one. */
    public Builder operatorCertificate(Path cert, Path key) {
      this.certFile = cert;
      this.keyFile = key;
      return this;
    }

    public Builder statusDb(String jdbcUrl) {
      this.statusDb = jdbcUrl;
      return this;
    }

    public Builder insecureWrites(boolean insecure) {
      this.insecureWrites = insecure;
      return this;
    }

    public Builder handoff(HandoffConfig settings) {
      this.handoff = settings;
      return this;
    }

    /** The FTP service, or null to leave it off. */
    public Builder ftp(FtpConfig settings) {
      this.ftp = settings;
      return this;
    }

    public Builder firewall(FirewallMode mode) {
      this.firewall = mode;
      return this;
    }

    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    public Builder limits(Limits clientLimits) {
      this.limits = clientLimits;
      return this;
    }

    /** Where {@code access.log} goes; null (the default here, not on the command line) for no access log. */
    public Builder logDir(Path dir) {
      this.logDir = dir;
      return this;
    }

    /** Serves the images of a bucket instead of {@code repo}; null (the default) for a local repository. */
    public Builder objectStore(ObjectStoreConfig bucket) {
      this.objectStore = bucket;
      return this;
    }

    /** Whether the HTTP and HTTPS ports expect a PROXY protocol header (v1 or v2) on every connection. */
    public Builder proxyProtocol(boolean expected) {
      this.proxyProtocol = expected;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, statusDb,
          insecureWrites, handoff, ftp, firewall, shutdownGrace, limits, logDir, objectStore,
          proxyProtocol);
    }
  }
}
