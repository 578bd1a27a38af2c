package io.smartupdate.ftp;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional FTP service: control port (0 = any free port), passive data port range, and an
 * optional users file (anonymous read-only login is always allowed).
 */
public record FtpConfig(int port, int passiveFirst, int passiveLast, Path usersFile) {
  public static final int DEFAULT_PASSIVE_FIRST = 63100;
  public static final int DEFAULT_PASSIVE_LAST = 63199;
  private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

  public FtpConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("FTP port " + port + " is not in 0-65535");
    if (passiveFirst <= 1024 || passiveLast > 65535 || passiveFirst > passiveLast) {
      throw new IllegalArgumentException("FTP passive ports " + passiveFirst + "-" + passiveLast
          + " must be a range A-B with 1024 < A <= B <= 65535");
    }
  }

  public static FtpConfig onPort(int port) {
    return new FtpConfig(port, DEFAULT_PASSIVE_FIRST, DEFAULT_PASSIVE_LAST, null);
  }

  /** Parses "A-B" for the passive range. */
  public FtpConfig withPassiveRange(String range) {
    Matcher m = RANGE.matcher(range);
    if (!m.matches()) throw new IllegalArgumentException("FTP passive ports '" + range + "' must look like 63100-63199");
    return new FtpConfig(port, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), usersFile);
  }

  public FtpConfig withUsersFile(Path file) {
    return new FtpConfig(port, passiveFirst, passiveLast, file);
  }

  public String passiveRange() {
    return passiveFirst + "-" + passiveLast;
  }
}
