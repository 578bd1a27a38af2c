package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FirewallRulesTest {
  private static final List<PortSpec> PORTS = List.of(PortSpec.single(63001, "HTTP"), PortSpec.single(63002, "HTTPS"),
      PortSpec.range("63010-63099", "hand-off"));

  @Test
  void nftRulesGoAtTheHeadOfTheUsualInputChain() {
    assertEquals(List.of(
        "# smartupdate: let targets reach TCP 63001 (HTTP), 63002 (HTTPS), 63010-63099 (hand-off); run as root",
        "# nftables: insert in front of the drops of every chain with 'hook input' (see: nft list chains); 'inet filter input' is the usual one",
        "nft 'insert rule inet filter input tcp dport 63001 accept comment \"smartupdate:manual\"'",
        "nft 'insert rule inet filter input tcp dport 63002 accept comment \"smartupdate:manual\"'",
        "nft 'insert rule inet filter input tcp dport 63010-63099 accept comment \"smartupdate:manual\"'",
        "# to remove: nft -a list chain inet filter input, then nft delete rule inet filter input handle N for each rule with comment \"smartupdate:manual\""),
        FirewallRules.render(PORTS, FirewallRules.Format.NFT, FirewallRules.MANUAL));
  }

  @Test
  void iptablesRulesCoverIpv4AndIpv6() {
    List<String> lines = FirewallRules.render(PORTS, FirewallRules.Format.IPTABLES, FirewallRules.MANUAL);
    assertEquals(9, lines.size());
    assertEquals("iptables -I INPUT 1 -p tcp -m tcp --dport 63001 -m comment --comment smartupdate:manual -j ACCEPT", lines.get(2));
    assertEquals("iptables -I INPUT 1 -p tcp -m tcp --dport 63010:63099 -m comment --comment smartupdate:manual -j ACCEPT", lines.get(4));
    assertEquals("ip6tables -I INPUT 1 -p tcp -m tcp --dport 63010:63099 -m comment --comment smartupdate:manual -j ACCEPT", lines.get(7));
    assertEquals("# to remove: the same lines with -D INPUT instead of -I INPUT 1", lines.get(8));
  }

  @Test
  void firewalldRulesAreRuntimeRichRulesTaggedByTheirLogPrefix() {
    List<String> lines = FirewallRules.render(PORTS, FirewallRules.Format.FIREWALLD, "smartupdate:63001:42");
    assertEquals("firewall-cmd '--add-rich-rule=rule port port=\"63010-63099\" protocol=\"tcp\" log prefix=\"smartupdate:63001:42 \""
        + " level=\"info\" limit value=\"1/h\" accept'", lines.get(4));
    assertEquals(6, lines.size());
    lines.forEach(line -> assertEquals(false, line.contains("--permanent"), line));
  }

  @Test
  void theCommandsHostFirewallRunsAreExact() {
    PortSpec range = PortSpec.range("63010-63099", "hand-off");
    assertEquals(List.of("nft", "--echo", "--handle", "insert rule ip extra in tcp dport 63010-63099 accept comment \"smartupdate:a:1\""),
        FirewallRules.nftInsert("nft", "ip", "extra", "in", range, "smartupdate:a:1", true).argv());
    assertEquals("nft 'delete rule inet filter input handle 12'", FirewallRules.nftDelete("nft", "inet", "filter", "input", "12").toString());
    assertEquals(List.of("iptables", "-D", "INPUT", "-p", "tcp", "-m", "tcp", "--dport", "63010:63099", "-m", "comment", "--comment",
        "smartupdate:a:1", "-j", "ACCEPT"), FirewallRules.iptables("iptables", List.of("-D", "INPUT"), range, "smartupdate:a:1").argv());
    assertEquals(List.of("firewall-cmd", "--zone=public", "--remove-rich-rule=R"),
        FirewallRules.firewalld("firewall-cmd", "public", "--remove-rich-rule=", "R").argv());
  }

  @Test
  void portListMergesAdjacentPorts() {
    assertEquals("63001-63002, 63010-63099", FirewallRules.portList(PORTS));
    assertEquals("80, 443, 63010-63101", FirewallRules.portList(List.of(PortSpec.single(443, "HTTPS"), PortSpec.single(80, "HTTP"),
        PortSpec.range("63010-63099", "hand-off"), PortSpec.range("63100-63101", "FTP passive"))));
  }

  @Test
  void formatsParseCaseInsensitively() {
    assertEquals(FirewallRules.Format.NFT, FirewallRules.Format.parse("NFT"));
    assertEquals("firewalld", FirewallRules.Format.parse("firewalld").toString());
    assertEquals("firewall format 'pf' is not one of nft, iptables, firewalld",
        assertThrows(IllegalArgumentException.class, () -> FirewallRules.Format.parse("pf")).getMessage());
  }

  @Test
  void commentsThatCouldBreakTheRuleAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> FirewallRules.render(PORTS, FirewallRules.Format.NFT, "a\" drop"));
  }

  @Test
  void commandsQuoteForAShellOnlyWhereNeeded() {
    assertEquals("iptables -w 5 'it'\\''s' ''", Command.of("iptables", "-w", "5", "it's", "").toString());
  }
}
