package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.firewall.FirewallDetector.Backend;
import io.smartupdate.firewall.HostFirewall.Host;
import io.smartupdate.core.StartupException;
import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real nft, iptables-nft and iptables-legacy in a pair of network namespaces made for each
 * test (root only; skipped with the reason elsewhere, and missing ip/nft/iptables fail when CI=true):
 * the server namespace drops incoming traffic by default, the node namespace tries to connect.
 * Fixed ports are fine here: the namespaces are private to the test.
 */
@Timeout(180)
class HostFirewallIT {
  private static final List<PortSpec> PORTS = List.of(PortSpec.single(63001, "HTTP"), PortSpec.single(63002, "HTTPS"),
      PortSpec.range("63010-63099", "hand-off"));

  @TempDir Path dir;
  private NetnsPair pair;
  private final List<String> out = Collections.synchronizedList(new ArrayList<>());

  /** How a server namespace's firewall is set up and read back, per firewall tool. */
  enum Flavor {
    /** Two tables drop input: an accept in only one of them would not let anything through. */
    NFTABLES(2, "with nftables in nft inet filter input, nft ip extra in;") {
      @Override void setUp(NetnsPair pair, Path dir) throws IOException {
        Tools.require("nft");
        Path rules = Files.writeString(dir.resolve("rules.nft"), """
            table inet filter {
              chain input {
                type filter hook input priority 0; policy drop;
                iif "lo" accept
                ct state established,related accept
                tcp dport 22 accept comment "admin ssh"
                tcp dport 22 accept comment "smartupdate:manual"
                tcp dport { 63001, 63010-63099 } drop comment "admin blocks"
              }
            }
            table ip extra {
              chain in {
                type filter hook input priority 10; policy drop;
                ct state established,related accept
              }
            }
            """);
        pair.inSrv("nft", "-f", rules.toString());
      }

      @Override String listing(NetnsPair pair) {
        return pair.inSrv("nft", "list", "ruleset");
      }

      @Override List<String> tags(NetnsPair pair) {
        return NftRuleset.parse(pair.inSrv("nft", "-j", "list", "ruleset")).tagged().stream().map(NftRuleset.Rule::comment).toList();
      }

      @Override Host host(NetnsPair pair) {
        return Host.inNamespace(pair.srv);
      }
    },
    /** iptables over nf_tables (Debian's default); HostFirewall is forced onto its plain iptables path. */
    IPTABLES_NFT(1, "with nftables in iptables-nft filter INPUT;") {
      @Override void setUp(NetnsPair pair, Path dir) {
        Tools.require("iptables");
        iptables(pair, "iptables");
      }

      @Override Host host(NetnsPair pair) {
        return Host.inNamespace(pair.srv).withBackend(Backend.IPTABLES, "iptables", "ip6tables");
      }
    },
    /** Legacy iptables tables, which nft does not see. */
    IPTABLES_LEGACY(1, "with nftables in iptables-legacy filter INPUT;") {
      @Override void setUp(NetnsPair pair, Path dir) {
        Tools.require("iptables-legacy"); // Debian's iptables package ships it
        NetnsPair.Run probe = NetnsPair.run("ip", "netns", "exec", pair.srv, "iptables-legacy", "-S", "INPUT");
        Tools.requireThat(probe.ok(), "this kernel has no legacy iptables (ip_tables): " + probe.output().strip());
        iptables(pair, "iptables-legacy");
      }

      @Override String program() {
        return "iptables-legacy";
      }

      @Override Host host(NetnsPair pair) {
        return Host.inNamespace(pair.srv).withBackend(Backend.IPTABLES, "iptables-legacy", "ip6tables-legacy");
      }
    };

    final int chains;
    /** Where the public API, detecting on its own, says it opened: nft sees iptables-nft's chain; legacy tables it cannot see. */
    final String detected;

    Flavor(int chains, String detected) {
      this.chains = chains;
      this.detected = detected;
    }

    abstract void setUp(NetnsPair pair, Path dir) throws IOException;

    abstract Host host(NetnsPair pair);

    String program() {
      return "iptables";
    }

    String listing(NetnsPair pair) {
      return pair.inSrv(program(), "-S", "INPUT");
    }

    List<String> tags(NetnsPair pair) {
      List<String> tags = new ArrayList<>();
      for (String line : listing(pair).lines().toList()) {
        List<String> words = XtablesTarget.words(line);
        int at = words.indexOf("--comment");
        if (at > 0 && OwnerTag.parse(words.get(at + 1)).isPresent()) tags.add(words.get(at + 1));
      }
      return tags;
    }

    static void iptables(NetnsPair pair, String program) {
      pair.inSrv(program, "-P", "INPUT", "DROP");
      pair.inSrv(program, "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
      pair.inSrv(program, "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
      pair.inSrv(program, "-A", "INPUT", "-p", "tcp", "--dport", "22", "-m", "comment", "--comment", "admin ssh", "-j", "ACCEPT");
      pair.inSrv(program, "-A", "INPUT", "-p", "tcp", "--dport", "22", "-m", "comment", "--comment", "smartupdate:manual", "-j", "ACCEPT");
      pair.inSrv(program, "-A", "INPUT", "-p", "tcp", "--dport", "63001", "-j", "DROP");
    }
  }

  /** A separate JVM in the server namespace opening the same ports through the public API, as a server would. */
  private NetnsPair.Child openInChild(String instance) {
    return pair.javaInSrv("opened", "open", instance, "63001:HTTP", "63002:HTTPS", "63010-63099:hand-off");
  }

  @AfterEach
  void deleteNamespaces() {
    if (pair != null) pair.close();
    out.forEach(line -> System.out.println("  " + line));
  }

  @AfterAll
  static void deleteLeftovers() {
    NetnsPair.deleteLeftovers();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void opensInFrontOfTheDropsReplacesACrashedRunsRulesAndClosesExactlyOurs(Flavor flavor) throws Exception {
    pair = NetnsPair.create();
    flavor.setUp(pair, dir);
    String before = flavor.listing(pair);
    pair.javaInSrv("listening", "listen", pair.srvAddress, "63001", "63011");
    assertFalse(pair.nodeReaches(63001), "the server namespace drops the node's connection before opening");

    HostFirewall.open(PORTS, FirewallMode.DRY_RUN, "it", out::add, flavor.host(pair)).close();
    assertEquals(before, flavor.listing(pair), "a dry run changes nothing");
    assertTrue(out.stream().anyMatch(l -> l.startsWith("firewall (dry run): would run: ")), out.toString());

    // a run through the public API, then kill -9: its rules stay behind
    NetnsPair.Child crashed = openInChild("crashed");
    assertTrue(pair.nodeReaches(63001), "the crashed run's rules were open");
    crashed.kill();
    assertTrue(crashed.seen.stream().anyMatch(l -> l.contains(flavor.detected)), crashed.seen.toString());
    String crashedTag = "smartupdate:crashed:" + crashed.pid();
    assertEquals(Collections.nCopies(3 * flavor.chains, crashedTag), flavor.tags(pair), crashed.seen.toString());

    HostFirewall firewall = HostFirewall.open(PORTS, FirewallMode.OPEN, "it", out::add, flavor.host(pair));
    assertEquals(Collections.nCopies(3 * flavor.chains, firewall.tag()), flavor.tags(pair), "exactly one set of our rules");
    assertTrue(pair.nodeReaches(63001), "HTTP open: " + flavor.listing(pair));
    assertTrue(pair.nodeReaches(63011), "hand-off range open");

    firewall.close();
    assertEquals(List.of(), flavor.tags(pair));
    assertEquals(before, flavor.listing(pair), "exactly the rules of before: foreign and manual ones untouched");
    assertFalse(pair.nodeReaches(63001), "closed again");
    int count = firewall.commands().size();
    firewall.close();
    assertEquals(count, firewall.commands().size(), "a second close does nothing");
  }

  @ParameterizedTest
  @EnumSource(value = Flavor.class, names = {"NFTABLES", "IPTABLES_NFT"})
  void aLiveRunsRulesAreLeftAlone(Flavor flavor) throws Exception {
    pair = NetnsPair.create();
    flavor.setUp(pair, dir);
    NetnsPair.Child live = openInChild("live");
    HostFirewall firewall = HostFirewall.open(PORTS, FirewallMode.OPEN, "it", out::add, flavor.host(pair));
    List<String> tags = flavor.tags(pair);
    assertEquals(3 * flavor.chains, Collections.frequency(tags, "smartupdate:live:" + live.pid()), tags.toString());
    assertEquals(3 * flavor.chains, Collections.frequency(tags, firewall.tag()), tags.toString());
    firewall.close();
    assertEquals(Collections.nCopies(3 * flavor.chains, "smartupdate:live:" + live.pid()), flavor.tags(pair));
    live.stop();
    assertTrue(live.seen.contains("closed"), live.seen.toString());
    assertEquals(List.of(), flavor.tags(pair), "the live run removed its own rules when it ended");
  }

  @ParameterizedTest
  @EnumSource(value = Flavor.class, names = {"NFTABLES", "IPTABLES_NFT"})
  void theRenderedRulesOpenTheFirewallWhenPasted(Flavor flavor) throws Exception {
    pair = NetnsPair.create();
    if (flavor == Flavor.NFTABLES) {
      Tools.require("nft");
      pair.inSrv("nft", "add table inet filter");
      pair.inSrv("nft", "add chain inet filter input { type filter hook input priority 0; policy drop; }");
    } else {
      flavor.setUp(pair, dir);
    }
    pair.javaInSrv("listening", "listen", pair.srvAddress, "63001");
    assertFalse(pair.nodeReaches(63001));
    FirewallRules.Format format = flavor == Flavor.NFTABLES ? FirewallRules.Format.NFT : FirewallRules.Format.IPTABLES;
    for (String line : FirewallRules.render(PORTS, format, FirewallRules.MANUAL)) {
      if (!line.startsWith("#")) pair.inSrv("sh", "-c", line);
    }
    assertTrue(pair.nodeReaches(63001));
  }

  @Test
  void whenTheToolsRefuseForLackOfPrivilegeNothingIsOpened() throws Exception {
    Tools.require("nft");
    Tools.require("setpriv");
    pair = NetnsPair.create();
    Flavor.NFTABLES.setUp(pair, dir);
    String before = Flavor.NFTABLES.listing(pair);
    // our own CAP_NET_ADMIN check is bypassed: nft itself, run as nobody, must refuse
    Host nobody = new Host(new ProcessRunner(List.of("ip", "netns", "exec", pair.srv, "setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups"), Duration.ofSeconds(10)), ProcessHandle.current().pid(), pid -> true, () -> true, Backend.AUTO,
        "iptables", "ip6tables");
    StartupException e = assertThrows(StartupException.class, () -> HostFirewall.open(PORTS, FirewallMode.OPEN, "it", out::add, nobody));
    assertTrue(e.getMessage().startsWith("cannot open the firewall: nft failed: Operation not permitted"), e.getMessage());
    assertTrue(e.getMessage().contains("(run as root, or drop /open_firewall and open ports 63001-63002, 63010-63099 yourself;"),
        e.getMessage());
    assertEquals(before, Flavor.NFTABLES.listing(pair));
  }

  @Test
  void withoutAnInputChainNothingIsAdded() {
    Tools.require("nft");
    pair = NetnsPair.create();
    HostFirewall firewall = HostFirewall.open(PORTS, FirewallMode.OPEN, "it", out::add, Host.inNamespace(pair.srv));
    assertEquals(List.of(), firewall.commands());
    assertTrue(out.contains("firewall: nftables has no input base chain: nothing filters incoming traffic, no rule needed"), out.toString());
    firewall.close();
  }
}
