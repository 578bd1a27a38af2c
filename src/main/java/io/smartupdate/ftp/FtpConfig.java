package io.smartupdate.ftp;

import io.smartupdate.core.PortRange;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The optional FTP service: control port (0 = any free port), passive data port range, and an
 * optional users file (anonymous read-only login is always allowed).
 */
public record FtpConfig(int port, PortRange passive, Path usersFile) {
  public static final PortRange DEFAULT_PASSIVE = new PortRange(63100, 63199);

  public FtpConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("FTP port " + port + " is not in 0-65535");
    Objects.requireNonNull(passive, "passive == null");
    try {
      passive.requireHigh();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("FTP passive ports " + passive + ": " + e.getMessage(), e);
    }
  }

  public static FtpConfig onPort(int port) {
    return new FtpConfig(port, DEFAULT_PASSIVE, null);
  }

  public FtpConfig withPort(int controlPort) {
    return new FtpConfig(controlPort, passive, usersFile);
  }

  public FtpConfig withPassive(PortRange range) {
    return new FtpConfig(port, range, usersFile);
  }

  /** Parses "A-B" for the passive range. */
  public FtpConfig withPassiveRange(String range) {
    return withPassive(PortRange.parse(range, false));
  }

  public FtpConfig withUsersFile(Path file) {
    return new FtpConfig(port, passive, file);
  }

  public String passiveRange() {
    return passive.toString();
  }
}
