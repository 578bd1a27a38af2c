package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Finds what manages the host firewall and where our rules must go: firewalld when it is running
 * (its zones), else nftables when {@code nft} works (every input base chain; iptables-nft's own
 * chains through iptables-nft; loaded legacy iptables tables through iptables-legacy), else
 * iptables and ip6tables. Runs only listing commands.
 */
final class FirewallDetector {
  /** Which manager to use; tests force one, the server asks for {@link #AUTO}. */
  enum Backend { AUTO, FIREWALLD, NFTABLES, IPTABLES }

  /** What was found: the manager's name, the places rules go, and remarks for the log. */
  record Detected(String backend, List<RuleTarget> targets, List<String> notes) {}

  private final CommandRunner runner;
  private final BooleanSupplier privileged;
  private final String iptables;
  private final String ip6tables;
  private final List<String> notes = new ArrayList<>();

  FirewallDetector(CommandRunner runner, BooleanSupplier privileged, String iptables, String ip6tables) {
    this.runner = runner;
    this.privileged = privileged;
    this.iptables = iptables;
    this.ip6tables = ip6tables;
  }

  /** @param needPrivilege refuse early without CAP_NET_ADMIN (not for firewalld: it asks polkit) */
  Detected detect(Backend backend, boolean needPrivilege) {
    notes.clear();
    Optional<String> firewallCmd = runner.find("firewall-cmd");
    if (backend == Backend.FIREWALLD || backend == Backend.AUTO && firewallCmd.isPresent() && firewalldRunning(firewallCmd.get())) {
      return firewalld(firewallCmd.orElseThrow(() -> new FirewallFailure("firewall-cmd is not installed", false)));
    }
    if (needPrivilege && !privileged.getAsBoolean()) {
      throw new FirewallFailure("smartupdate runs without root or CAP_NET_ADMIN", true);
    }
    Result nftFailed = null;
    Optional<String> nft = runner.find("nft");
    if (backend != Backend.IPTABLES && nft.isPresent()) {
      Result listed = runner.run(Command.of(nft.get(), "-j", "list", "ruleset"));
      if (listed.ok()) return nftables(nft.get(), NftRuleset.parse(listed.stdout()));
      if (listed.deniedPrivilege() || backend == Backend.NFTABLES) throw FirewallFailure.of(listed);
      nftFailed = listed;
    } else if (backend == Backend.NFTABLES) {
      throw new FirewallFailure("nft is not installed", false);
    }
    return iptablesOnly(nftFailed);
  }

  private boolean firewalldRunning(String program) {
    Result state = runner.run(Command.of(program, "--state"));
    return state.ok() && state.stdout().strip().equals("running");
  }

  private Detected firewalld(String program) {
    Result active = checked(runner.run(Command.of(program, "--get-active-zones")));
    List<String> zones = active.stdout().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .map(String::strip).toList();
    if (zones.isEmpty()) zones = List.of(checked(runner.run(Command.of(program, "--get-default-zone"))).stdout().strip());
    List<RuleTarget> targets = new ArrayList<>();
    for (String zone : zones) {
      targets.add(new FirewalldTarget(program, zone, checked(runner.run(Command.of(program, "--zone=" + zone, "--list-rich-rules"))).stdout()));
    }
    return new Detected("firewalld", targets, List.copyOf(notes));
  }

  private Detected nftables(String nft, NftRuleset ruleset) {
    List<RuleTarget> targets = new ArrayList<>();
    for (NftRuleset.Chain chain : ruleset.inputChains()) {
      Optional<String> xtables = chain.xtables() ? xtablesNft(chain.family()) : Optional.empty();
      if (xtables.isPresent()) {
        targets.add(new XtablesTarget(xtables.get(), chain.table(), listInput(xtables.get(), chain.table())));
      } else if (FirewallRules.nftNameUsable(chain.table()) && FirewallRules.nftNameUsable(chain.name())) {
        targets.add(new NftTarget(nft, chain, ruleset.rulesIn(chain)));
      } else {
        notes.add("input chain '" + chain.address() + "' has a name nft cannot take on its command line: not opened there");
      }
    }
    legacy("/proc/net/ip_tables_names", "iptables").ifPresent(targets::add);
    legacy("/proc/net/ip6_tables_names", "ip6tables").ifPresent(targets::add);
    if (targets.isEmpty()) notes.add("nftables has no input base chain: nothing filters incoming traffic, no rule needed");
    return new Detected("nftables", targets, List.copyOf(notes));
  }

  /** iptables-nft owns {@code ip filter INPUT}: its rules there go through it, as its users expect. */
  private Optional<String> xtablesNft(String family) {
    String name = family.equals("ip6") ? "ip6tables" : "iptables";
    Optional<String> program = runner.find(name + "-nft");
    if (program.isPresent()) return program;
    return runner.find(name).filter(p -> runner.run(Command.of(p, "--version")).stdout().contains("nf_tables"));
  }

  /** Legacy iptables tables live beside nftables, unseen by nft; a drop there drops too. */
  private Optional<RuleTarget> legacy(String tableNames, String name) {
    Result loaded = runner.run(Command.of("cat", tableNames));
    if (!loaded.ok() || loaded.stdout().lines().noneMatch(l -> l.strip().equals("filter"))) return Optional.empty();
    Optional<String> program = runner.find(name + "-legacy")
        .or(() -> runner.find(name).filter(p -> runner.run(Command.of(p, "--version")).stdout().contains("legacy")));
    if (program.isEmpty()) {
      notes.add("legacy " + name + " tables are loaded but " + name + "-legacy is not installed: not opened there");
      return Optional.empty();
    }
    XtablesTarget target = new XtablesTarget(program.get(), "filter", listInput(program.get(), "filter"));
    return target.filters() ? Optional.of(target) : Optional.empty();
  }

  private Detected iptablesOnly(Result nftFailed) {
    String why = nftFailed == null ? "nft is not installed" : "nft failed: " + nftFailed.firstError();
    Optional<String> v4 = runner.find(iptables);
    if (v4.isEmpty()) throw new FirewallFailure("no firewall tool works (" + why + "; " + iptables + " is not installed)", false);
    List<RuleTarget> targets = new ArrayList<>();
    if (nftFailed != null) notes.add(why + "; using " + iptables);
    addIfFiltering(targets, new XtablesTarget(v4.get(), "filter", listInput(v4.get(), "filter")));
    Optional<String> v6 = runner.find(ip6tables);
    if (v6.isEmpty()) {
      notes.add(ip6tables + " is not installed: IPv6 left as it is");
    } else {
      Result listed = runner.run(Command.of(v6.get(), "-w", "5", "-t", "filter", "-S", "INPUT"));
      if (listed.ok()) {
        addIfFiltering(targets, new XtablesTarget(v6.get(), "filter", listed.stdout()));
      } else if (listed.deniedPrivilege()) {
        throw FirewallFailure.of(listed);
      } else {
        notes.add(ip6tables + " failed (" + listed.firstError() + "): IPv6 left as it is");
      }
    }
    return new Detected("iptables", targets, List.copyOf(notes));
  }

  private void addIfFiltering(List<RuleTarget> targets, XtablesTarget target) {
    if (target.filters()) {
      targets.add(target);
    } else {
      notes.add(target.describe() + " accepts everything (policy ACCEPT, no rules): no rule needed");
    }
  }

  private String listInput(String program, String table) {
    return checked(runner.run(Command.of(program, "-w", "5", "-t", table, "-S", "INPUT"))).stdout();
  }

  private static Result checked(Result result) {
    if (!result.ok()) throw FirewallFailure.of(result);
    return result;
  }
}
