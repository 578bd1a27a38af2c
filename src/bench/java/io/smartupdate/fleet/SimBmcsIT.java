package io.smartupdate.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' simulated BMCs stay real enough for an unchanged {@code smartupdate deploy}: a
 * baseline of three components on five of them. About 20 s on a quiet box (two JVMs start); the
 * bound leaves room for a loaded CI box, where it took 120 s.
 */
@Timeout(300)
class SimBmcsIT {
  @TempDir Path dir;

  @Test
  void baselineDeployFetchesChecksAndAppliesAllThreeComponentsOnEverySimBmcThroughItsReset() throws Exception {
    // A reset shorter than deploy's polls: deploy never sees it refuse, only the sessions it forgot (401), and logs in again.
    SimBmcs.Options options = new SimBmcs.Options("admin", "sim-it-password", Duration.ofMillis(200), Duration.ofMillis(100));
    try (TestServer server = TestServer.start(dir.resolve("server"));
         SimBmcs bmcs = SimBmcs.start(5, options, server.sslContext())) {
      SimImage.writeRepository(server.repo(), 64 * 1024);
      SimDeploy.awaitBaseline("http://127.0.0.1:" + server.port(Scheme.HTTP), Duration.ofSeconds(30));
      Process deploy = SimDeploy.start(dir, SimDeploy.command(dir, bmcs, options, server.port(Scheme.HTTP), dir.resolve("server/data"), 5));
      assertTrue(deploy.waitFor(240, TimeUnit.SECONDS), "deploy still runs after 240 s");
      assertEquals(0, deploy.exitValue(), SimDeploy.failures(dir));
      assertEquals(5, SimDeploy.updated(bmcs), "BMCs with BMC, BIOS and NIC at " + SimImage.TARGET);
      for (SimBmc bmc : bmcs.bmcs()) {
        assertEquals(3, bmc.updates.get(), bmc.address() + " took one SimpleUpdate per component, none twice");
        assertEquals(3, bmc.completed.get(), bmc.address() + " fetched and checked every image");
      }
      String downloads = server.getString(Scheme.HTTP, "/api/downloads").body();
      assertTrue(downloads.contains("sim/bmc-2.00.bin") && downloads.contains("sim/nic-2.00.bin"), downloads);
    }
  }

  @Test
  void aResetRefusesConnectionsThenTheBmcAnswersWithItsNewVersion() throws Exception {
    try (SimBmcs bmcs = SimBmcs.start(2, SimBmcs.Options.DEFAULT, null)) {
      SimBmc first = bmcs.bmcs().get(0);
      assertTrue(accepts(first.port));
      bmcs.resetNow(first, "3.00");
      assertTrue(!accepts(first.port), "a resetting BMC refuses connections");
      assertTrue(accepts(bmcs.bmcs().get(1).port), "the other BMC is untouched");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!accepts(first.port) && System.nanoTime() < deadline) Thread.sleep(50);
      assertTrue(accepts(first.port), "back after the reset");
      assertEquals("3.00", first.version("BMC"));
    }
  }

  private static boolean accepts(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }
}
