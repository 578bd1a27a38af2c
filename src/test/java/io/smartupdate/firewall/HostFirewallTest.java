package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.firewall.FirewallDetector.Backend;
import io.smartupdate.core.StartupException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HostFirewall's decisions with scripted firewall programs; the real programs run in HostFirewallIT. */
class HostFirewallTest {
  private static final long PID = 4242;
  private static final List<PortSpec> PORTS = List.of(PortSpec.single(63001, "HTTP"), PortSpec.single(63002, "HTTPS"),
      PortSpec.range("63010-63099", "hand-off"));
  private static final String TAG = "smartupdate:63001:4242";

  private final List<String> out = new ArrayList<>();
  private final List<HostFirewall> opened = new ArrayList<>();

  private HostFirewall open(ScriptedRunner runner, FirewallMode mode, LongPredicate alive, boolean privileged) {
    return open(runner, "63001", mode, alive, privileged);
  }

  private HostFirewall open(ScriptedRunner runner, String instance, FirewallMode mode, LongPredicate alive, boolean privileged) {
    HostFirewall firewall = HostFirewall.open(PORTS, mode, instance, out::add,
        new HostFirewall.Host(runner, PID, alive, () -> privileged, Backend.AUTO, "iptables", "ip6tables"));
    opened.add(firewall);
    return firewall;
  }

  /** Firewalls of this JVM hold their tags (see twoFirewallsInOneProcess...): release them between tests. */
  @AfterEach
  void closeAll() {
    opened.forEach(HostFirewall::close);
  }

  private static String insert(String chain, String port) {
    return "nft --echo --handle 'insert rule " + chain + " tcp dport " + port + " accept comment \"" + TAG + "\"'";
  }

  private static String delete(String chain, int handle) {
    return "nft 'delete rule " + chain + " handle " + handle + "'";
  }

  private static ScriptedRunner nft(String ruleset) {
    return new ScriptedRunner("nft", "cat").on("nft -j list ruleset", ruleset);
  }

  @Test
  void offRunsNothing() {
    ScriptedRunner runner = nft(NftSamples.EMPTY);
    try (HostFirewall firewall = open(runner, FirewallMode.OFF, pid -> true, false)) {
      assertEquals("none", firewall.backend());
    }
    assertEquals(List.of(), runner.ran);
    assertEquals(List.of(), out);
  }

  @Test
  void openRemovesRulesOfDeadOwnersThenInsertsInFrontOfEveryInputChain() {
    ScriptedRunner runner = nft(NftSamples.withLivePid(NftSamples.NATIVE, 77));
    HostFirewall firewall = open(runner, FirewallMode.OPEN, pid -> pid == 77 || pid == 12, true);
    assertEquals(List.of(delete("inet filter input", 7),
        insert("inet filter input", "63001"), insert("inet filter input", "63002"), insert("inet filter input", "63010-63099"),
        insert("ip extra in", "63001"), insert("ip extra in", "63002"), insert("ip extra in", "63010-63099")), runner.changes());
    assertEquals(runner.changes(), firewall.commands());
    assertEquals("nftables", firewall.backend());
    assertTrue(out.contains("firewall: removed a rule left by a run that is gone (smartupdate:63001:999999999) in nft inet filter input handle 7"),
        out.toString());
    assertTrue(out.contains("firewall: opened TCP 63001 (HTTP), 63002 (HTTPS), 63010-63099 (hand-off) with nftables in"
        + " nft inet filter input, nft ip extra in; rules tagged " + TAG), out.toString());

    firewall.close();
    firewall.close();
    List<String> removals = runner.changes().subList(7, runner.changes().size());
    assertEquals(List.of(delete("ip extra in", 105), delete("ip extra in", 104), delete("ip extra in", 103),
        delete("inet filter input", 102), delete("inet filter input", 101), delete("inet filter input", 100)), removals);
    assertTrue(out.contains("firewall: closed: removed 6 of 6 rules tagged " + TAG), out.toString());
  }

  @Test
  void rulesOfLiveOwnersAndForeignRulesAreNeverTouched() {
    ScriptedRunner runner = nft(NftSamples.withLivePid(NftSamples.NATIVE, 77));
    open(runner, FirewallMode.OPEN, pid -> true, true).close();
    // handle 7 (pid 999999999) is alive by this predicate; 2, 3, 4 are foreign, 6 is manual, 5 and 8 belong to live runs
    List<String> deletes = runner.changes().stream().filter(c -> c.contains("delete")).toList();
    assertEquals(6, deletes.size(), "close removes the six rules it added, and nothing else: " + runner.changes());
    assertTrue(deletes.stream().allMatch(c -> c.matches(".*handle 10[0-5]'")), runner.changes().toString());
  }

  @Test
  void aRuleTaggedWithOurOwnPidIsAStaleOneFromAnEarlierLife() {
    ScriptedRunner runner = nft(NftSamples.withLivePid(NftSamples.NATIVE, PID));
    open(runner, FirewallMode.OPEN, pid -> true, true);
    assertEquals(delete("inet filter input", 8), runner.changes().get(0));
  }

  @Test
  void twoFirewallsInOneProcessLeaveEachOthersRulesAlone() {
    String ruleset = NftSamples.NATIVE.replace("smartupdate:63001:999999999", "smartupdate:first:" + PID);
    HostFirewall first = open(nft(NftSamples.EMPTY), "first", FirewallMode.OPEN, pid -> true, true);
    ScriptedRunner second = nft(ruleset);
    open(second, "second", FirewallMode.OPEN, pid -> true, true);
    assertTrue(second.changes().stream().noneMatch(c -> c.contains("handle 7'")), second.changes().toString());
    first.close();
    ScriptedRunner third = nft(ruleset);
    open(third, "third", FirewallMode.OPEN, pid -> true, true);
    assertEquals(delete("inet filter input", 7), third.changes().get(0), "once closed, same-pid rules are stale");
  }

  @Test
  void dryRunListsButChangesNothingAndNeedsNoPrivilege() {
    ScriptedRunner runner = nft(NftSamples.NATIVE);
    HostFirewall firewall = open(runner, FirewallMode.DRY_RUN, pid -> pid != 999999999L, false);
    assertEquals(List.of(), runner.changes());
    assertTrue(out.contains("firewall (dry run): would run: " + delete("inet filter input", 7)
        + " (rule left by a run that is gone: smartupdate:63001:999999999)"), out.toString());
    assertTrue(out.contains("firewall (dry run): would run: " + insert("ip extra in", "63010-63099")), out.toString());
    firewall.close();
    assertEquals(List.of(), runner.changes());
    assertTrue(out.contains("firewall (dry run): would run: nft 'delete rule inet filter input handle <handle nft echoes for 63001>'"),
        out.toString());
    assertEquals(1 + 6 + 6, firewall.commands().size());
  }

  @Test
  void dryRunWithoutTheRightToListShowsTheUsualChain() {
    ScriptedRunner runner = new ScriptedRunner("nft")
        .on("nft -j list ruleset", c -> ScriptedRunner.fail(c, "Error: Could not process rule: Operation not permitted"));
    open(runner, FirewallMode.DRY_RUN, pid -> true, false);
    assertTrue(out.get(0).startsWith("firewall (dry run): cannot read the firewall (nft failed: Error: Could not process rule:"
        + " Operation not permitted); showing the commands for nftables"), out.get(0));
    assertTrue(out.contains("firewall (dry run): would run: " + insert("inet filter input", "63001")), out.toString());
    assertEquals(List.of(), runner.changes());
  }

  @Test
  void withoutCapNetAdminOpenFailsInOneLineBeforeRunningAnything() {
    ScriptedRunner runner = nft(NftSamples.NATIVE);
    StartupException e = assertThrows(StartupException.class, () -> open(runner, FirewallMode.OPEN, pid -> true, false));
    assertEquals("cannot open the firewall: smartupdate runs without root or CAP_NET_ADMIN (run as root, or drop /open_firewall"
        + " and open ports 63001-63002, 63010-63099 yourself; `smartupdate ports --format nft` prints the rules)", e.getMessage());
    assertEquals(List.of(), runner.ran);
  }

  @Test
  void nftRefusingForLackOfPrivilegeSaysSo() {
    ScriptedRunner runner = new ScriptedRunner("nft", "iptables")
        .on("nft -j list ruleset", c -> ScriptedRunner.fail(c, "Error: Could not process rule: Operation not permitted\n"));
    StartupException e = assertThrows(StartupException.class, () -> open(runner, FirewallMode.OPEN, pid -> true, true));
    assertEquals("cannot open the firewall: nft failed: Error: Could not process rule: Operation not permitted (run as root, or drop"
        + " /open_firewall and open ports 63001-63002, 63010-63099 yourself; `smartupdate ports --format nft` prints the rules)",
        e.getMessage());
  }

  @Test
  void aFailureHalfwayRemovesWhatWasAddedBeforeThrowing() {
    ScriptedRunner runner = nft(NftSamples.EMPTY.replace("}}]}", "}},"
        + "{\"table\": {\"family\": \"inet\", \"name\": \"filter\", \"handle\": 1}},"
        + "{\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"name\": \"input\", \"handle\": 1, \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"drop\"}},"
        + "{\"chain\": {\"family\": \"ip\", \"table\": \"gone\", \"name\": \"input\", \"handle\": 1, \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"drop\"}}]}"))
        .on("nft --echo --handle 'insert rule ip gone", c -> ScriptedRunner.fail(c, "Error: Could not process rule: No such file or directory"));
    StartupException e = assertThrows(StartupException.class, () -> open(runner, FirewallMode.OPEN, pid -> true, true));
    assertEquals("cannot open the firewall: nft failed: Error: Could not process rule: No such file or directory (drop /open_firewall"
        + " and open ports 63001-63002, 63010-63099 yourself; `smartupdate ports --format nft` prints the rules)", e.getMessage());
    assertEquals(List.of(insert("inet filter input", "63001"), insert("inet filter input", "63002"),
        insert("inet filter input", "63010-63099"), insert("ip gone input", "63001"),
        delete("inet filter input", 102), delete("inet filter input", 101), delete("inet filter input", 100)), runner.changes());
  }

  @Test
  void withoutAnInputChainNothingFiltersAndNoRuleIsAdded() {
    ScriptedRunner runner = nft(NftSamples.EMPTY);
    HostFirewall firewall = open(runner, FirewallMode.OPEN, pid -> true, true);
    firewall.close();
    assertEquals(List.of(), runner.changes());
    assertEquals(List.of("firewall: nftables has no input base chain: nothing filters incoming traffic, no rule needed"), out);
  }

  @Test
  void chainsOfIptablesNftGoThroughIptablesNft() {
    ScriptedRunner runner = new ScriptedRunner("nft", "cat", "iptables-nft", "ip6tables-nft")
        .on("nft -j list ruleset", NftSamples.IPTABLES_NFT)
        .on("iptables-nft -w 5 -t filter -S INPUT", "-P INPUT DROP\n"
            + "-A INPUT -p tcp -m tcp --dport 63001 -m comment --comment \"smartupdate:63001:999\" -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n")
        .on("ip6tables-nft -w 5 -t filter -S INPUT", "-P INPUT DROP\n")
        .on("iptables-nft -w 5 -t filter -", c -> ScriptedRunner.ok(c, ""))
        .on("ip6tables-nft -w 5 -t filter -", c -> ScriptedRunner.ok(c, ""));
    open(runner, FirewallMode.OPEN, pid -> pid != 999, true).close();
    List<String> changes = runner.changes();
    assertEquals("iptables-nft -w 5 -t filter -D INPUT -p tcp -m tcp --dport 63001 -m comment --comment smartupdate:63001:999 -j ACCEPT",
        changes.get(0));
    assertEquals("iptables-nft -w 5 -t filter -I INPUT 1 -p tcp -m tcp --dport 63001 -m comment --comment " + TAG + " -j ACCEPT",
        changes.get(1));
    assertEquals("ip6tables-nft -w 5 -t filter -I INPUT 1 -p tcp -m tcp --dport 63010:63099 -m comment --comment " + TAG + " -j ACCEPT",
        changes.get(6));
    assertEquals(1 + 6 + 6, changes.size());
    assertEquals("ip6tables-nft -w 5 -t filter -D INPUT -p tcp -m tcp --dport 63010:63099 -m comment --comment " + TAG + " -j ACCEPT",
        changes.get(7));
  }

  @Test
  void legacyTablesBesideNftablesAreOpenedToo() {
    ScriptedRunner runner = new ScriptedRunner("nft", "cat", "iptables-legacy")
        .on("nft -j list ruleset", NftSamples.EMPTY)
        .on("cat /proc/net/ip_tables_names", "filter\n")
        .on("iptables-legacy -w 5 -t filter -S INPUT", "-P INPUT DROP\n")
        .on("iptables-legacy -w 5 -t filter -I", c -> ScriptedRunner.ok(c, ""));
    open(runner, FirewallMode.OPEN, pid -> true, true);
    assertEquals(3, runner.changes().size());
    assertTrue(runner.changes().stream().allMatch(c -> c.startsWith("iptables-legacy -w 5 -t filter -I INPUT 1 ")), runner.changes().toString());
  }

  @Test
  void withoutNftIptablesOpensEachFamilyThatFilters() {
    ScriptedRunner runner = new ScriptedRunner("iptables", "ip6tables")
        .on("iptables -w 5 -t filter -S INPUT", "-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n")
        .on("ip6tables -w 5 -t filter -S INPUT", "-P INPUT ACCEPT\n")
        .on("iptables -w 5 -t filter -", c -> ScriptedRunner.ok(c, ""));
    HostFirewall firewall = open(runner, FirewallMode.OPEN, pid -> true, true);
    assertEquals("iptables", firewall.backend());
    assertEquals(3, runner.changes().size());
    assertTrue(out.contains("firewall: ip6tables filter INPUT accepts everything (policy ACCEPT, no rules): no rule needed"), out.toString());
    firewall.close();
    assertEquals(6, runner.changes().size());
  }

  @Test
  void withoutAnyFirewallToolOpenFails() {
    StartupException e = assertThrows(StartupException.class, () -> open(new ScriptedRunner(), FirewallMode.OPEN, pid -> true, true));
    assertEquals("cannot open the firewall: no firewall tool works (nft is not installed; iptables is not installed) (drop"
        + " /open_firewall and open ports 63001-63002, 63010-63099 yourself; `smartupdate ports --format nft` prints the rules)",
        e.getMessage());
  }

  @Test
  void runningFirewalldGetsRuntimeRichRulesInEveryActiveZone() {
    ScriptedRunner runner = new ScriptedRunner("firewall-cmd", "nft")
        .on("firewall-cmd --state", "running\n")
        .on("firewall-cmd --get-active-zones", "public\n  interfaces: eth0\ntrusted\n  sources: 10.0.0.0/8\n")
        .on("firewall-cmd --zone=public --list-rich-rules",
            "rule port port=\"63001\" protocol=\"tcp\" log prefix=\"smartupdate:63001:999 \" level=\"info\" limit value=\"1/h\" accept\n"
                + "rule service name=\"ssh\" accept\n")
        .on("firewall-cmd --zone=trusted --list-rich-rules", "")
        .on("firewall-cmd --zone=", c -> ScriptedRunner.ok(c, "success"));
    // firewall-cmd asks polkit, so no CAP_NET_ADMIN is needed up front
    HostFirewall firewall = open(runner, FirewallMode.OPEN, pid -> pid != 999, false);
    assertEquals("firewalld", firewall.backend());
    List<String> changes = runner.changes();
    assertEquals("firewall-cmd --zone=public '--remove-rich-rule=rule port port=\"63001\" protocol=\"tcp\" log prefix=\"smartupdate:63001:999 \""
        + " level=\"info\" limit value=\"1/h\" accept'", changes.get(0));
    assertEquals("firewall-cmd --zone=trusted '--add-rich-rule=rule port port=\"63010-63099\" protocol=\"tcp\" log prefix=\"" + TAG
        + " \" level=\"info\" limit value=\"1/h\" accept'", changes.get(6));
    firewall.close();
    assertEquals(1 + 6 + 6, runner.changes().size());
    assertTrue(runner.ran.stream().noneMatch(c -> c.contains("--permanent")), runner.ran.toString());
    assertTrue(runner.ran.stream().noneMatch(c -> c.startsWith("nft")), runner.ran.toString());
  }

  @Test
  void stoppedFirewalldLeavesItToNftables() {
    ScriptedRunner runner = new ScriptedRunner("firewall-cmd", "nft", "cat")
        .on("firewall-cmd --state", c -> new CommandRunner.Result(c, 252, "not running\n", ""))
        .on("nft -j list ruleset", NftSamples.EMPTY);
    assertEquals("nftables", open(runner, FirewallMode.OPEN, pid -> true, true).backend());
  }

  @Test
  void theInstanceNameIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> HostFirewall.open(PORTS, FirewallMode.OFF, "bad name", out::add));
  }
}
