package io.smartupdate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smartupdate.firewall.FirewallRules;
import io.smartupdate.firewall.PortSpec;
import io.smartupdate.firewall.SumPorts;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.server.PortsInUse;
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
import picocli.CommandLine.Mixin;
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
final class PortsCommand implements Callable<Integer>, CliCommand {
  private static final List<String> FORMATS = List.of("table", "json", "nft", "iptables", "firewalld");

  @Spec CommandSpec spec;

  @Mixin PortOptions ports = new PortOptions();

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

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    return run(out);
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
    List<PortSpec> local = PortsInUse.of(ports.checked("/port, --port", ports.port, false),
        ports.checked("/ssl_port, --ssl-port", ports.sslPort, false), ports.ftp(false), ports.handoff(HandoffConfig.DEFAULT)).all();
    for (int i = 0; i < local.size(); i++) {
      for (int j = i + 1; j < local.size(); j++) {
        if (local.get(i).overlaps(local.get(j))) {
          throw new ParameterException(spec.commandLine(), "ports overlap: " + local.get(i) + " and " + local.get(j));
        }
      }
    }
    return local;
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
    if (ports.ftpPort == null) {
      out.println("  FTP is off (/ftp_port N turns it on)");
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
    return role == SumPorts.Back.HTTP ? ports.port : ports.sslPort;
  }
}
