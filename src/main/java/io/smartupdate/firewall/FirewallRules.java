package io.smartupdate.firewall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rule text for a list of ports in the syntax of nft, iptables and firewalld. {@link #render}
 * gives an operator lines to paste ({@code smartupdate ports --format nft}); {@link HostFirewall}
 * builds the exact commands it runs from the same pieces.
 */
public final class FirewallRules {
  /** The comment {@link #render} puts on rules an operator adds by hand; {@link HostFirewall} never removes these. */
  public static final String MANUAL = "smartupdate:manual";
  private static final Pattern COMMENT = Pattern.compile("[A-Za-z0-9:._-]{1,64}");
  private static final Pattern NFT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  /** The syntaxes rules are rendered in. */
  public enum Format {
    NFT, IPTABLES, FIREWALLD;

    /** Case-insensitive; the message lists the choices. */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name)) return f;
      }
      throw new IllegalArgumentException("firewall format '" + name + "' is not one of nft, iptables, firewalld");
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private FirewallRules() {}

  /**
   * Shell lines that open {@code ports} (TCP) in the usual input chain of that tool, for an operator
   * to run as root; lines starting with {@code #} explain where they go and how to remove them.
   *
   * @param comment the tag each rule carries, e.g. {@link #MANUAL}
   */
  public static List<String> render(List<PortSpec> ports, Format format, String comment) {
    checkComment(comment);
    List<String> lines = new ArrayList<>();
    lines.add("# smartupdate: let targets reach TCP " + describe(ports) + "; run as root");
    switch (format) {
      case NFT -> {
        lines.add("# nftables: insert in front of the drops of every chain with 'hook input' (see: nft list chains);"
            + " 'inet filter input' is the usual one");
        for (PortSpec port : ports) lines.add(nftInsert("nft", "inet", "filter", "input", port, comment, false).toString());
        lines.add("# to remove: nft -a list chain inet filter input, then nft delete rule inet filter input handle N"
            + " for each rule with comment \"" + comment + "\"");
      }
      case IPTABLES -> {
        lines.add("# iptables: IPv4 and IPv6, in front of the existing rules of INPUT");
        for (String program : List.of("iptables", "ip6tables")) {
          for (PortSpec port : ports) lines.add(iptables(program, List.of("-I", "INPUT", "1"), port, comment).toString());
        }
        lines.add("# to remove: the same lines with -D INPUT instead of -I INPUT 1");
      }
      case FIREWALLD -> {
        lines.add("# firewalld: runtime rules in the default zone (add --zone=Z for another zone; they end at the next reload)");
        for (PortSpec port : ports) lines.add(firewalld("firewall-cmd", null, "--add-rich-rule=", richRule(port, comment)).toString());
        lines.add("# to remove: the same lines with --remove-rich-rule=");
      }
    }
    return lines;
  }

  /** {@code "63001 (HTTP), 63002 (HTTPS), 63010-63099 (hand-off)"}. */
  public static String describe(List<PortSpec> ports) {
    return ports.stream().map(PortSpec::toString).collect(Collectors.joining(", "));
  }

  /** The ports alone, sorted, adjacent ones merged: {@code "63001-63002, 63010-63099"}. */
  public static String portList(List<PortSpec> ports) {
    List<int[]> merged = new ArrayList<>();
    for (PortSpec p : ports.stream().sorted(Comparator.comparingInt(PortSpec::first)).toList()) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && p.first() <= last[1] + 1) {
        last[1] = Math.max(last[1], p.last());
      } else {
        merged.add(new int[] {p.first(), p.last()});
      }
    }
    return merged.stream().map(r -> r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]).collect(Collectors.joining(", "));
  }

  /** {@code nft [--echo --handle] 'insert rule F T C tcp dport P accept comment "TAG"'}: at the head of the chain. */
  static Command nftInsert(String nft, String family, String table, String chain, PortSpec port, String comment, boolean echoHandle) {
    String rule = "insert rule " + family + " " + table + " " + chain + " tcp dport " + port.text() + " accept comment \"" + comment + "\"";
    return echoHandle ? Command.of(nft, "--echo", "--handle", rule) : Command.of(nft, rule);
  }

  static Command nftDelete(String nft, String family, String table, String chain, String handle) {
    return Command.of(nft, "delete rule " + family + " " + table + " " + chain + " handle " + handle);
  }

  /** True when nft can address the table or chain by this name on its command line. */
  static boolean nftNameUsable(String name) {
    return NFT_NAME.matcher(name).matches();
  }

  /** The rule specification after the chain: {@code -p tcp -m tcp --dport P -m comment --comment TAG -j ACCEPT}. */
  static List<String> iptablesSpec(PortSpec port, String comment) {
    return List.of("-p", "tcp", "-m", "tcp", "--dport", port.iptablesText(), "-m", "comment", "--comment", comment, "-j", "ACCEPT");
  }

  static Command iptables(String program, List<String> head, PortSpec port, String comment) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(head);
    argv.addAll(iptablesSpec(port, comment));
    return new Command(argv);
  }

  /**
   * A runtime rich rule for both IP families. Rich rules have no comment, so the tag rides in a log
   * prefix (the firewalld maintainers' own workaround); its limit throttles only the log line, never the accept.
   */
  static String richRule(PortSpec port, String comment) {
    return "rule port port=\"" + port.text() + "\" protocol=\"tcp\" log prefix=\"" + comment
        + " \" level=\"info\" limit value=\"1/h\" accept";
  }

  /** {@code firewall-cmd [--zone=Z] --add-rich-rule=RULE} (or --remove-rich-rule=); never --permanent. */
  static Command firewalld(String program, String zone, String option, String rule) {
    return zone == null ? Command.of(program, option + rule) : Command.of(program, "--zone=" + zone, option + rule);
  }

  static void checkComment(String comment) {
    if (comment == null || !COMMENT.matcher(comment).matches()) {
      throw new IllegalArgumentException("rule comment '" + comment + "' must be 1-64 letters, digits or :._-");
    }
  }
}
