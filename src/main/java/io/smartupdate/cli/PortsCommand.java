package io.smartupdate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smartupdate.firewall.FirewallRules;
import io.smartupdate.firewall.PortSpec;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.server.ServerConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code smartupdate ports}: the firewall ports SUM documents per target type, and the local TCP
 * ports this configuration listens on, as a table, JSON, or rules to paste.
 *
 * <pre>
 * smartupdate ports /port 80 /ssl_port 443
 * smartupdate ports --format json
 * smartupdate ports --format nft | sudo sh
 * </pre>
 */
@Command(name = "ports", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Firewall ports: those SUM documents per target type, and the local TCP ports this configuration listens on.",
        "Takes the server's port options, so it shows the ports of the same command line."},
    footer = {"", "Examples:", "  smartupdate ports /port 80 /ssl_port 443", "  smartupdate ports --format nft"})
final class PortsCommand implements Callable<Integer> {
  private static final List<String> FORMATS = List.of("table", "json", "nft", "iptables", "firewalld");

  @Spec CommandSpec spec;

  @Option(names = {"/port", "--port"}, paramLabel = "N", description = "HTTP port (default: 63001)")
  int port = ServerConfig.DEFAULT_HTTP_PORT;

  @Option(names = {"/ssl_port", "--ssl-port"}, paramLabel = "N", description = "HTTPS port (default: 63002)")
  int sslPort = ServerConfig.DEFAULT_HTTPS_PORT;

  @Option(names = {"/ftp_port", "--ftp-port"}, paramLabel = "N", description = "FTP control port (default: FTP off)")
  Integer ftpPort;

  @Option(names = {"/ftp_passive_ports", "--ftp-passive-ports"}, paramLabel = "A-B", description = "FTP passive ports (default: 63100-63199)")
  String ftpPassivePorts;

  @Option(names = {"/handoff_ports", "--handoff-ports"}, paramLabel = "A-B", description = "hand-off ports (default: 63010-63099)")
  String handoffPorts;

  @Option(names = {"/format", "--format"}, paramLabel = "F", description = "table, json, nft, iptables or firewalld (default: table)")
  String format = "table";

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  /** This command alone (tests), with the main command's parser settings. */
  static CommandLine commandLine(PortsCommand command) {
    return Main.sumSyntax(new CommandLine(command));
  }

  /** Runs as a picocli {@code execute} subcommand: prints to standard output. */
  @Override
  public Integer call() {
    return run(System.out);
  }

  /**
   * Prints the requested format to {@code out}; returns exit code 0.
   *
   * @throws ParameterException for a bad option value (one line; the caller exits 2)
   */
  int run(PrintStream out) {
    if (help) {
      spec.commandLine().usage(out);
      return 0;
    }
    String chosen = format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(chosen)) {
      throw new ParameterException(spec.commandLine(), "invalid value for /format, --format: '" + format
          + "' (expected one of " + String.join(", ", FORMATS) + ")");
    }
    List<PortSpec> local = localPorts();
    switch (chosen) {
      case "table" -> table(out, local);
      case "json" -> out.println(json(local));
      default -> FirewallRules.render(local, FirewallRules.Format.parse(chosen), FirewallRules.MANUAL).forEach(out::println);
    }
    out.flush();
    return 0;
  }

  /** The TCP ports the server listens on with these options, in the order it binds them. */
  List<PortSpec> localPorts() {
    List<PortSpec> ports = new ArrayList<>();
    ports.add(PortSpec.single(checkPort("/port, --port", port), "HTTP"));
    ports.add(PortSpec.single(checkPort("/ssl_port, --ssl-port", sslPort), "HTTPS"));
    if (ftpPort != null) {
      ports.add(PortSpec.single(checkPort("/ftp_port, --ftp-port", ftpPort), "FTP"));
      ports.add(range("/ftp_passive_ports, --ftp-passive-ports", ftpPassivePorts,
          FtpConfig.DEFAULT_PASSIVE_FIRST + "-" + FtpConfig.DEFAULT_PASSIVE_LAST, "FTP passive"));
    }
    ports.add(range("/handoff_ports, --handoff-ports", handoffPorts, HandoffConfig.DEFAULT.range(), "hand-off"));
    for (int i = 0; i < ports.size(); i++) {
      for (int j = i + 1; j < ports.size(); j++) {
        if (ports.get(i).overlaps(ports.get(j))) {
          throw new ParameterException(spec.commandLine(), "ports overlap: " + ports.get(i) + " and " + ports.get(j));
        }
      }
    }
    return ports;
  }

  private int checkPort(String option, int value) {
    if (value == 0) {
      throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": 0 (any free port is only known at start;"
          + " give the port you will use, 1-65535)");
    }
    if (value < 1 || value > 65535) {
      throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": " + value + " (expected a port 1-65535)");
    }
    return value;
  }

  private PortSpec range(String option, String given, String fallback, String why) {
    try {
      PortSpec spec = PortSpec.range(given == null ? fallback : given, why);
      if (given != null && !given.contains("-")) throw new IllegalArgumentException("expected a range A-B");
      if (spec.first() <= 1024) throw new IllegalArgumentException("every port must be above 1024");
      return spec;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(this.spec.commandLine(), "invalid value for " + option + ": '" + given + "' ("
          + e.getMessage() + ")");
    }
  }

  private void table(PrintStream out, List<PortSpec> local) {
    out.println("Ports by target type (" + SumPorts.SOURCE + "); \"from target\" needs SUM 7.3.0 or later; (80) = optional");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TARGET", "SUM RUNS ON", "INVENTORY: TO TARGET", "FROM TARGET", "DEPLOYMENT: TO TARGET", "FROM TARGET"));
    for (SumPorts.Row row : SumPorts.ROWS) {
      rows.add(List.of(row.type(), row.sumRunsOn(), remote(row.inventoryTo()), back(row.inventoryFrom()),
          remote(row.deploymentTo()), back(row.deploymentFrom())));
    }
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(r -> { for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], r.get(i).length()); });
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) line.append(String.format("%-" + (widths[i] + 2) + "s", r.get(i)));
      out.println(line.toString().stripTrailing());
    }
    out.println();
    out.println("Local TCP ports of this configuration (targets connect to them; open them in the host firewall):");
    int width = local.stream().mapToInt(p -> p.text().length()).max().orElse(0) + 2;
    for (PortSpec p : local) out.println("  " + String.format("%-" + width + "s", p.text()) + p.why());
    if (ftpPort == null) {
      out.println("  FTP is off (/ftp_port N turns it on" + (ftpPassivePorts == null ? "" : "; /ftp_passive_ports needs it") + ")");
    }
    out.println("Without /strict_ports a taken port moves to the next free one; the ready line shows the ports in use.");
    out.println("Rules to paste: smartupdate ports --format nft|iptables|firewalld; /open_firewall opens them for a run.");
  }

  private String json(List<PortSpec> local) {
    List<Map<String, Object>> targets = new ArrayList<>();
    for (SumPorts.Row row : SumPorts.ROWS) {
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("type", row.type());
      target.put("sumRunsOn", row.sumRunsOn());
      target.put("inventory", phase(row.inventoryTo(), row.inventoryFrom()));
      target.put("deployment", phase(row.deploymentTo(), row.deploymentFrom()));
      targets.add(target);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("source", SumPorts.SOURCE);
    root.put("targets", targets);
    root.put("local", local.stream().map(p -> ordered(Map.of("first", p.first(), "last", p.last(), "why", p.why()), "first", "last", "why"))
        .toList());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the port table as JSON", e);
    }
  }

  private Map<String, Object> phase(List<SumPorts.Remote> to, List<SumPorts.Back> from) {
    Map<String, Object> phase = new LinkedHashMap<>();
    phase.put("toTarget", to.stream().map(r -> ordered(Map.of("port", r.port(), "optional", r.optional(), "service", r.service()),
        "port", "optional", "service")).toList());
    phase.put("fromTarget", from.stream().map(b -> ordered(Map.of("port", localPort(b), "role", b.name()), "port", "role")).toList());
    return phase;
  }

  private static Map<String, Object> ordered(Map<String, ?> values, String... keys) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String key : keys) map.put(key, values.get(key));
    return map;
  }

  private static String remote(List<SumPorts.Remote> ports) {
    if (ports.isEmpty()) return "none";
    return ports.stream().map(r -> r.optional() ? "(" + r.port() + ")" : Integer.toString(r.port())).collect(Collectors.joining(", "));
  }

  private String back(List<SumPorts.Back> roles) {
    if (roles.isEmpty()) return "none";
    return roles.stream().map(b -> localPort(b) + " (" + b.name() + ")").collect(Collectors.joining(", "));
  }

  /** The seed's 63001/63002 "from target" columns are the HTTP/HTTPS ports: shown as configured. */
  private int localPort(SumPorts.Back role) {
    return role == SumPorts.Back.HTTP ? port : sslPort;
  }

  /**
   * The table of seeds/sum-network-ports.txt ("SUM network ports used"), one row per target type
   * (its "iLO, VC, FC switch, SAS switch" row split into four with the same ports). Its "From target"
   * 63001/63002 are SUM's default HTTP/HTTPS ports, kept here as roles. Service names: 445 ADMIN$
   * share, 137 only with NetBIOS naming, 22 SSH (seeds/hp-sum-ports-user-guide.txt and
   * hp-smartstart-ports.txt); 135 DCOM-In for WMI (sum-network-ports.txt); 5989 is the standard
   * CIM-XML over HTTPS port. The older HP SUM SOAP-agent ports of those two seeds (60000-60007,
   * 61000-61007, 62286, 63000-63005) belong to a remote agent smartupdate does not deploy, so they are not listed.
   */
  static final class SumPorts {
    static final String SOURCE = "SUM network ports used";

    /** A port on the target that the system running SUM connects to; optional = in parentheses in the seed. */
    record Remote(int port, boolean optional, String service) {}

    /** A local port the target connects back to. */
    enum Back { HTTP, HTTPS }

    record Row(String type, String sumRunsOn, List<Remote> inventoryTo, List<Back> inventoryFrom, List<Remote> deploymentTo,
        List<Back> deploymentFrom) {}

    private static final List<Remote> WINDOWS = List.of(new Remote(445, false, "SMB (ADMIN$ share)"),
        new Remote(135, false, "DCOM (WMI)"), new Remote(137, false, "NetBIOS name (only with NetBIOS naming)"),
        new Remote(138, false, "NetBIOS datagram"), new Remote(139, false, "NetBIOS session"));
    private static final List<Remote> SSH = List.of(new Remote(22, false, "SSH"));
    private static final List<Remote> VMWARE = List.of(new Remote(443, false, "HTTPS"), new Remote(5989, false, "CIM-XML over HTTPS"));
    private static final List<Remote> MANAGEMENT = List.of(new Remote(22, false, "SSH"), new Remote(80, true, "HTTP"),
        new Remote(443, false, "HTTPS"));
    private static final List<Remote> HTTPS = List.of(new Remote(443, false, "HTTPS"));
    private static final String ANY = "Windows or Linux";

    static final List<Row> ROWS = List.of(
        new Row("Windows", "Windows", WINDOWS, List.of(), WINDOWS, List.of()),
        new Row("Linux", ANY, SSH, List.of(), SSH, List.of()),
        new Row("VMware", ANY, VMWARE, List.of(Back.HTTP), VMWARE, List.of(Back.HTTP)),
        new Row("OA", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of()),
        new Row("Superdome X", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP, Back.HTTPS)),
        new Row("iLO", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
        new Row("VC", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
        new Row("FC switch", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
        new Row("SAS switch", ANY, MANAGEMENT, List.of(), MANAGEMENT, List.of(Back.HTTP)),
        new Row("Superdome Flex", ANY, HTTPS, List.of(), HTTPS, List.of(Back.HTTPS)));

    private SumPorts() {}
  }
}
