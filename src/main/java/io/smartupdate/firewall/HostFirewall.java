package io.smartupdate.firewall;

import io.smartupdate.firewall.CommandRunner.Result;
import io.smartupdate.firewall.FirewallDetector.Backend;
import io.smartupdate.firewall.FirewallDetector.Detected;
import io.smartupdate.firewall.RuleTarget.TaggedRule;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the ports in use in the host firewall for the run ({@code /open_firewall}) and closes them
 * at {@link #close}. Every rule is inserted in front of the existing drops of each chain that
 * filters input and carries the comment {@code smartupdate:<instance>:<pid>}, so only our rules are
 * ever removed; rules of a crashed run (their pid is gone) are removed before ours are added.
 * Blocking: runs firewall programs, so call it at start and stop, never on an IO thread.
 *
 * <pre>{@code
 * try (HostFirewall firewall = HostFirewall.open(ports, FirewallMode.OPEN, "63001", log::info)) { ... }
 * }</pre>
 */
public final class HostFirewall implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(HostFirewall.class);
  private static final int CAP_NET_ADMIN = 12;
  /** Tags whose rules a firewall of this process holds open: same pid, yet not stale (two servers in one JVM). */
  private static final Map<OwnerTag, Integer> HELD = new ConcurrentHashMap<>();

  private final FirewallMode mode;
  private final OwnerTag tag;
  private final Consumer<String> out;
  private final CommandRunner runner;
  private final List<String> commands = new ArrayList<>();
  /** OPEN: what removes each rule we added; DRY_RUN: what would. Run last-added first. */
  private final Deque<Command> removals = new ArrayDeque<>();
  private String backend = "none";
  private boolean held;
  private boolean closed;

  private HostFirewall(FirewallMode mode, OwnerTag tag, Consumer<String> out, CommandRunner runner) {
    this.mode = mode;
    this.tag = tag;
    this.out = out;
    this.runner = runner;
  }

  /**
   * OFF: does nothing. DRY_RUN: prints to {@code out} the commands OPEN would run (and, at close,
   * the removals), changes nothing, needs no privilege. OPEN: removes stale rules of crashed runs,
   * then opens {@code ports} (TCP) or throws, having removed what it added.
   *
   * @param instance names this server in the tag, 1-32 of {@code [A-Za-z0-9._-]}, e.g. its HTTP port
   * @param out where the operator sees what happens, one line per call (the log, or stdout for a dry run)
   * @throws StartupException one line naming the cause and the fix: no privilege, no firewall tool, a failing command
   */
  public static HostFirewall open(List<PortSpec> ports, FirewallMode mode, String instance, Consumer<String> out) {
    return open(ports, mode, instance, out, Host.local());
  }

  static HostFirewall open(List<PortSpec> ports, FirewallMode mode, String instance, Consumer<String> out, Host host) {
    Objects.requireNonNull(mode, "mode == null");
    Objects.requireNonNull(out, "out == null");
    List<PortSpec> unique = List.copyOf(Objects.requireNonNull(ports, "ports == null")).stream().distinct().toList();
    HostFirewall firewall = new HostFirewall(mode, new OwnerTag(instance, host.pid()), out, host.runner());
    if (mode == FirewallMode.OFF) return firewall;
    if (unique.isEmpty()) {
      out.accept("firewall: no ports to open");
    } else if (mode == FirewallMode.DRY_RUN) {
      firewall.dryRun(unique, host);
    } else {
      firewall.openFor(unique, host);
    }
    return firewall;
  }

  private void openFor(List<PortSpec> ports, Host host) {
    Detected found;
    try {
      found = host.detector().detect(host.backend(), true);
    } catch (FirewallFailure e) {
      throw failure(e, ports);
    } catch (IllegalArgumentException e) {
      throw failure(new FirewallFailure(e.getMessage(), false, "nft"), ports);
    }
    backend = found.backend();
    found.notes().forEach(note -> out.accept("firewall: " + note));
    removeStale(found.targets(), host.alive());
    HELD.merge(tag, 1, Integer::sum);
    held = true;
    try {
      for (RuleTarget target : found.targets()) {
        for (PortSpec port : ports) {
          Result added = run(target.add(port, tag));
          if (!added.ok()) throw FirewallFailure.of(added);
          removals.push(target.removal(port, tag, added));
        }
      }
    } catch (FirewallFailure e) {
      close();
      throw failure(e, ports);
    } catch (IllegalStateException e) {
      // added, but its handle is unknown: remove every rule with our exact tag before giving up
      close();
      sweepOwn(host);
      throw failure(new FirewallFailure(e.getMessage(), false, "nft"), ports);
    }
    if (!found.targets().isEmpty()) {
      out.accept("firewall: opened TCP " + FirewallRules.describe(ports) + " with " + backend + " in "
          + String.join(", ", found.targets().stream().map(RuleTarget::describe).toList()) + "; rules tagged " + tag);
    }
  }

  /** Rules of runs that are gone (crashed, killed -9): theirs, never anyone else's. A failure here is reported, not fatal. */
  private void removeStale(List<RuleTarget> targets, LongPredicate alive) {
    for (RuleTarget target : targets) {
      for (TaggedRule rule : target.tagged()) {
        if (!rule.tag().isStale(tag.pid(), alive, HELD::containsKey)) continue;
        Result removed = run(rule.removal());
        out.accept("firewall: " + (removed.ok() ? "removed" : "could not remove (" + removed.firstError() + ")")
            + " a rule left by a run that is gone (" + rule.tag() + ") in " + rule.where());
      }
    }
  }

  private void sweepOwn(Host host) {
    try {
      for (RuleTarget target : host.detector().detect(host.backend(), true).targets()) {
        for (TaggedRule rule : target.tagged()) {
          if (rule.tag().equals(tag)) run(rule.removal());
        }
      }
    } catch (FirewallFailure | IllegalArgumentException e) {
      out.accept("firewall: could not look for rules tagged " + tag + " to remove them: " + e.getMessage());
    }
  }

  private void dryRun(List<PortSpec> ports, Host host) {
    Detected found;
    try {
      found = host.detector().detect(host.backend(), false);
    } catch (FirewallFailure | IllegalArgumentException e) {
      found = guess(host, e instanceof FirewallFailure f && f.format().equals("firewalld"));
      out.accept("firewall (dry run): cannot read the firewall (" + e.getMessage() + "); showing the commands for "
          + found.backend());
    }
    backend = found.backend();
    found.notes().forEach(note -> out.accept("firewall (dry run): " + note));
    for (RuleTarget target : found.targets()) {
      for (TaggedRule rule : target.tagged()) {
        if (rule.tag().isStale(tag.pid(), host.alive(), HELD::containsKey)) would(rule.removal(), " (rule left by a run that is gone: " + rule.tag() + ")");
      }
      for (PortSpec port : ports) {
        would(target.add(port, tag), "");
        removals.push(target.plannedRemoval(port, tag));
      }
    }
  }

  /** Without the privilege to list the rules: the usual place of the tool that is installed. */
  private static Detected guess(Host host, boolean firewalld) {
    CommandRunner runner = host.runner();
    if (firewalld) {
      return new Detected("firewalld", List.of(new FirewalldTarget("firewall-cmd", null, "")), List.of());
    }
    if (runner.find("nft").isPresent() || runner.find("iptables").isEmpty()) {
      NftRuleset.Chain input = new NftRuleset.Chain("inet", "filter", "input", 0, "drop", false);
      return new Detected("nftables", List.of(new NftTarget("nft", input, List.of())), List.of());
    }
    return new Detected("iptables", List.of(new XtablesTarget("iptables", "filter", "-P INPUT DROP"),
        new XtablesTarget("ip6tables", "filter", "-P INPUT DROP")), List.of());
  }

  private void would(Command command, String why) {
    synchronized (this) {
      commands.add(command.toString());
    }
    out.accept("firewall (dry run): would run: " + command + why);
  }

  /** Removes exactly the rules this instance added (OPEN), or prints their removal (DRY_RUN). Idempotent; never throws. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (mode == FirewallMode.DRY_RUN) {
      while (!removals.isEmpty()) would(removals.pop(), "");
      return;
    }
    if (held) HELD.computeIfPresent(tag, (t, n) -> n == 1 ? null : n - 1);
    int removed = 0;
    int count = removals.size();
    while (!removals.isEmpty()) {
      Result result = run(removals.pop());
      if (result.ok()) {
        removed++;
      } else {
        out.accept("firewall: could not remove a rule tagged " + tag + ": " + result.firstError()
            + " (it is removed at the next start, or by hand: " + result.command() + ")");
      }
    }
    if (count > 0) out.accept("firewall: closed: removed " + removed + " of " + count + " rules tagged " + tag);
  }

  /** The firewall commands run (OPEN) or that would be run (DRY_RUN) so far, in order, quoted for a shell. */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  /** What manages the host firewall: "firewalld", "nftables", "iptables", or "none" (OFF, nothing to open). */
  public synchronized String backend() {
    return backend;
  }

  /** The comment our rules carry: {@code smartupdate:<instance>:<pid>}. */
  public String tag() {
    return tag.toString();
  }

  private Result run(Command command) {
    synchronized (this) {
      commands.add(command.toString());
    }
    Result result = runner.run(command);
    log.debug("firewall: {} -> exit {}", command, result.exit());
    return result;
  }

  private static StartupException failure(FirewallFailure e, List<PortSpec> ports) {
    String rules = "`smartupdate ports --format " + e.format() + "` prints the rules";
    String yourself = "drop /open_firewall and open ports " + FirewallRules.portList(ports) + " yourself; " + rules;
    return new StartupException("cannot open the firewall: " + e.getMessage() + " ("
        + (e.privilege ? "run as root, or " : "") + yourself + ")");
  }

  /** True when this process holds CAP_NET_ADMIN (root normally does; a container may not). Unknown counts as yes. */
  static boolean hasNetAdmin() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) >> CAP_NET_ADMIN & 1) == 1;
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("cannot read the capabilities", e);
    }
    return true;
  }

  /**
   * Where the commands run and how owners are checked; tests run the commands in a network
   * namespace ({@code ip netns exec NS}) and script the rest.
   */
  record Host(CommandRunner runner, long pid, LongPredicate alive, BooleanSupplier privileged, Backend backend,
      String iptables, String ip6tables) {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    static Host local() {
      return new Host(new ProcessRunner(List.of(), TIMEOUT), ProcessHandle.current().pid(),
          pid -> Files.isDirectory(Path.of("/proc", Long.toString(pid))), HostFirewall::hasNetAdmin, Backend.AUTO,
          "iptables", "ip6tables");
    }

    /** This process, its commands run inside network namespace {@code ns}. */
    static Host inNamespace(String ns) {
      Host local = local();
      return new Host(new ProcessRunner(List.of("ip", "netns", "exec", ns), TIMEOUT), local.pid, local.alive,
          local.privileged, Backend.AUTO, "iptables", "ip6tables");
    }

    Host withBackend(Backend forced, String v4, String v6) {
      return new Host(runner, pid, alive, privileged, forced, v4, v6);
    }

    FirewallDetector detector() {
      return new FirewallDetector(runner, privileged, iptables, ip6tables);
    }
  }
}
