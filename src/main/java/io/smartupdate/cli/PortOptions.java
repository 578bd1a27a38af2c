package io.smartupdate.cli;

import io.smartupdate.core.PortRange;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.server.ServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The port options, shared by the server and {@code smartupdate ports} so both read the same command line. */
final class PortOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = {"/port", "--port"}, paramLabel = "N", description = "HTTP port; 0 = any free port (default: 63001)")
  int port = ServerConfig.DEFAULT_HTTP_PORT;

  @Option(names = {"/ssl_port", "--ssl-port"}, paramLabel = "N", description = "HTTPS port; 0 = any free port (default: 63002)")
  int sslPort = ServerConfig.DEFAULT_HTTPS_PORT;

  @Option(names = {"/ftp_port", "--ftp-port"}, paramLabel = "N", description = "enable the read-only FTP service on N (default: off)")
  Integer ftpPort;

  @Option(names = {"/ftp_passive_ports", "--ftp-passive-ports"}, paramLabel = "A-B", description = "FTP passive data ports (default: 63100-63199)")
  String ftpPassivePorts;

  @Option(names = {"/handoff_ports", "--handoff-ports"}, paramLabel = "A-B", description = "dedicated hand-off ports, all > 1024 (default: 63010-63099)")
  String handoffPorts;

  /** The HTTP or HTTPS port, checked: 0-65535, or 1-65535 when {@code anyFree} is false. */
  int checked(String option, int value, boolean anyFree) {
    if (value == 0 && !anyFree) {
      throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": 0 (any free port is only known at start;"
          + " give the port you will use, 1-65535)");
    }
    if (value < 0 || value > 65535) {
      throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": " + value + " (expected a port "
          + (anyFree ? 0 : 1) + "-65535)");
    }
    return value;
  }

  /** The FTP settings, or null when FTP is off. */
  FtpConfig ftp(boolean anyFree) {
    if (ftpPort == null) {
      if (ftpPassivePorts != null) throw new ParameterException(spec.commandLine(), "/ftp_passive_ports needs /ftp_port N as well");
      return null;
    }
    FtpConfig settings = FtpConfig.onPort(checked("/ftp_port, --ftp-port", ftpPort, anyFree));
    return ftpPassivePorts == null ? settings
        : settings.withPassive(range("/ftp_passive_ports, --ftp-passive-ports", ftpPassivePorts));
  }

  /** {@code base} with the hand-off range of the command line, if one was given. */
  HandoffConfig handoff(HandoffConfig base) {
    return handoffPorts == null ? base : base.withPorts(range("/handoff_ports, --handoff-ports", handoffPorts));
  }

  private PortRange range(String option, String given) {
    try {
      return PortRange.parse(given, false).requireHigh();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": '" + given + "' (" + e.getMessage() + ")");
    }
  }
}
