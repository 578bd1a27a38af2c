package io.smartupdate.server;

import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the server needs to start; paths are already resolved by the caller.
 *
 * @param bindAddress listen address, or null for all interfaces
 * @param certFile operator certificate (PEM or PKCS#12), or null to use/generate {@code certsDir}
 * @param keyFile operator key (PEM), or null when {@code certFile} holds it
 * @param statusDb JDBC URL of the status store, or null for SQLite in {@code dataDir}
 * @param insecureWrites accept unauthenticated writes (labs only)
 * @param handoff the hand-off port range and timeouts
 * @param ftp the FTP service, or null when it is off
 * @param firewall whether to open the used ports in the host firewall for the run
 */
public record ServerConfig(String bindAddress, int httpPort, int httpsPort, boolean strictPorts, Path repo,
    Path certsDir, Path dataDir, Path certFile, Path keyFile, String statusDb, boolean insecureWrites, HandoffConfig handoff, FtpConfig ftp, FirewallMode firewall,
    Duration shutdownGrace) {
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
    if (keyFile != null && certFile == null) throw new IllegalArgumentException("keyFile given without certFile");
    if (bindAddress != null && bindAddress.isBlank()) bindAddress = null;
    if (statusDb != null && statusDb.isBlank()) statusDb = null;
  }

  /** Defaults of the command line, ports 0 (any free port) for tests and embedding. */
  public static ServerConfig ephemeral(Path repo, Path certsDir, Path dataDir) {
    return new ServerConfig(null, 0, 0, false, repo, certsDir, dataDir, null, null, null, false, HandoffConfig.DEFAULT, null,
        FirewallMode.OFF, Duration.ofSeconds(4));
  }

  public ServerConfig withPorts(int http, int https, boolean strict) {
    return new ServerConfig(bindAddress, http, https, strict, repo, certsDir, dataDir, certFile, keyFile, statusDb, insecureWrites,
        handoff, ftp, firewall,
        shutdownGrace);
  }

  public ServerConfig withBindAddress(String address) {
    return new ServerConfig(address, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, statusDb,
        insecureWrites, handoff, ftp, firewall,
        shutdownGrace);
  }

  public ServerConfig withOperatorCertificate(Path cert, Path key) {
    return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, cert, key, statusDb,
        insecureWrites, handoff, ftp, firewall,
        shutdownGrace);
  }

  public ServerConfig withStatus(String jdbcUrl, boolean insecure) {
    return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, jdbcUrl,
        insecure, handoff, ftp, firewall,
        shutdownGrace);
  }

  public ServerConfig withHandoff(HandoffConfig settings) {
    return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, statusDb,
        insecureWrites, settings, ftp, firewall, shutdownGrace);
  }

  public ServerConfig withFtp(FtpConfig settings) {
    return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, statusDb,
        insecureWrites, handoff, settings, firewall, shutdownGrace);
  }

  public ServerConfig withFirewall(FirewallMode mode) {
    return new ServerConfig(bindAddress, httpPort, httpsPort, strictPorts, repo, certsDir, dataDir, certFile, keyFile, statusDb,
        insecureWrites, handoff, ftp, mode, shutdownGrace);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " " + port + " is not in 0-65535");
  }
}
