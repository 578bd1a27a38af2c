package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server with /open_firewall inside a network namespace whose input policy drops: a
 * node in a second namespace reaches it only while it runs; SIGTERM removes the rules; after a
 * kill -9 the next start leaves exactly one set. Fixed ports are private to the namespaces.
 */
@Timeout(300)
class ServerFirewallIT {
  private static final int HTTP = 63001;
  private static final Pattern TAG = Pattern.compile("smartupdate:[^:\\s\"]+:(\\d+)");
  @TempDir Path dir;

  enum Flavor { NFTABLES, IPTABLES }

  @AfterAll
  static void cleanUp() {
    NetnsPair.deleteLeftovers();
  }

  private static void dropByDefault(NetnsPair pair, Flavor flavor, Path dir) throws IOException {
    if (flavor == Flavor.NFTABLES) {
      Tools.require("nft");
      Path rules = Files.writeString(dir.resolve("drop.nft"), """
          table inet filter {
            chain input {
              type filter hook input priority 0; policy drop;
              iif "lo" accept
              ct state established,related accept
            }
          }
          """);
      pair.inSrv("nft", "-f", rules.toString());
    } else {
      Tools.require("iptables");
      pair.inSrv("iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
      pair.inSrv("iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
      pair.inSrv("iptables", "-P", "INPUT", "DROP");
    }
  }

  private static String ruleset(NetnsPair pair, Flavor flavor) {
    // iptables -S: rules without packet counters, which change as the node knocks.
    return flavor == Flavor.NFTABLES ? pair.inSrv("nft", "list", "ruleset") : pair.inSrv("iptables", "-S");
  }

  /** Owner pids of our tagged rules, one entry per rule. */
  private static List<Long> owners(String ruleset) {
    List<Long> pids = new ArrayList<>();
    Matcher m = TAG.matcher(ruleset);
    while (m.find()) pids.add(Long.parseLong(m.group(1)));
    return pids;
  }

  private NetnsPair.Child start(NetnsPair pair) {
    return pair.serverInSrv("/open_firewall", "/port", Integer.toString(HTTP), "/ssl_port", Integer.toString(HTTP + 1), "/strict_ports",
        "/bind", pair.srvAddress, "/repo", dir.resolve("repo").toString(), "/data", dir.resolve("data").toString(),
        "/certs", dir.resolve("certs").toString(), "/s");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void nodeReachesTheServerOnlyWhileItRunsAndACrashLeavesNoSecondSet(Flavor flavor) throws Exception {
    Files.createDirectories(dir.resolve("repo"));
    Files.writeString(dir.resolve("repo/ilo5_310.bin"), "firmware bytes");
    try (NetnsPair pair = NetnsPair.create()) {
      dropByDefault(pair, flavor, dir);
      String before = ruleset(pair, flavor);
      assertDroppedWhileSomethingListens(pair, "before the server ran");

      NetnsPair.Child server = start(pair);
      assertTrue(pair.nodeReaches(HTTP), "open while running: " + ruleset(pair, flavor));
      List<Long> running = owners(ruleset(pair, flavor));
      assertTrue(running.size() >= 3, "HTTP, HTTPS and the hand-off range are tagged: " + ruleset(pair, flavor));
      assertTrue(running.stream().allMatch(pid -> pid == server.pid()), ruleset(pair, flavor));
      assertEquals(0, server.terminate(), "clean exit on SIGTERM: " + server.seen);
      assertEquals(before, ruleset(pair, flavor), "SIGTERM removed exactly our rules");

      NetnsPair.Child crashed = start(pair);
      int rulesPerRun = owners(ruleset(pair, flavor)).size();
      assertTrue(rulesPerRun >= 3, "HTTP, HTTPS and the hand-off range: " + ruleset(pair, flavor));
      crashed.kill();
      assertEquals(rulesPerRun, owners(ruleset(pair, flavor)).size(), "kill -9 leaves the rules behind");

      NetnsPair.Child restarted = start(pair);
      List<Long> now = owners(ruleset(pair, flavor));
      assertEquals(rulesPerRun, now.size(), "exactly one set of our rules after the restart: " + ruleset(pair, flavor));
      assertTrue(now.stream().allMatch(pid -> pid == restarted.pid()), "the stale set was removed: " + now);
      assertTrue(pair.nodeReaches(HTTP));
      assertEquals(0, restarted.terminate());
      assertEquals(before, ruleset(pair, flavor));
      assertDroppedWhileSomethingListens(pair, "after the server stopped");
    }
  }

  /**
   * "Unreachable" means something: a plain listener (no firewall code) answers on the port inside
   * the server namespace, and the node still cannot reach it. Without the listener a refused
   * connection would pass the check with no firewall at all.
   */
  private static void assertDroppedWhileSomethingListens(NetnsPair pair, String when) throws Exception {
    NetnsPair.Child listener = pair.javaInSrv("listening", "listen", pair.srvAddress, Integer.toString(HTTP));
    try {
      String curl = Tools.require("curl").toString();
      pair.inSrv(curl, "-sf", "--max-time", "4", "http://" + pair.srvAddress + ":" + HTTP + "/"); // control: it answers locally
      assertFalse(pair.nodeReaches(HTTP), "the input policy drops the node " + when);
    } finally {
      listener.stop();
    }
  }
}
