package io.smartupdate.redfish;

import io.smartupdate.core.Phase;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting for a BMC to settle after an update: it may reset (connections refused, timing out, TLS
 * resets), come back, need a new login, and answer unevenly for a while. A BMC is back after
 * {@link Pacing#goodReads} consecutive good reads; the same wait serves every reset, bounded by
 * --timeout.
 */
final class Settling {
  private final RedfishClient client;
  private final Emitter emit;
  private final Pacing pacing;
  private final Duration timeout;
  private final String updateService;

  Settling(RedfishClient client, Emitter emit, Pacing pacing, Duration timeout, String updateService) {
    this.client = client;
    this.emit = emit;
    this.pacing = pacing;
    this.timeout = timeout;
    this.updateService = updateService;
  }

  /**
   * The inventory once it shows the update ({@code reached}), or once the BMC reset and came back,
   * or once it stayed up and unchanged for {@link Pacing#settleQuiet}.
   */
  Inventory inventory(String collection, Predicate<Inventory> reached) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long quietUntil = System.nanoTime() + pacing.settleQuiet().toNanos();
    boolean announced = false;
    while (true) {
      try {
        Inventory now = Inventory.read(client, collection);
        if (reached.test(now) || System.nanoTime() > quietUntil || System.nanoTime() > deadline) return now;
        if (!announced) {
          emit.event(Phase.VERIFYING, null, "the inventory does not show the update yet; watching up to " + pacing.settleQuiet().toSeconds()
              + " s for the BMC to reset and settle");
          announced = true;
        }
      } catch (RedfishClient.Gone | RedfishClient.NoAnswer away) {
        awaitReturn(away.getMessage());
        quietUntil = System.nanoTime() + pacing.settleQuiet().toNanos();
        continue;
      }
      Pause.sleep(pacing.settlePoll());
    }
  }

  /** The BMC went away: wait until it answers again, log in again, and see it answer well several times in a row. */
  void awaitReturn(String why) {
    emit.event(Phase.REBOOTING, null, why + "; waiting up to " + timeout.toSeconds() + " s for it to come back");
    client.forget();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean loggedIn = false;
    int good = 0;
    while (System.nanoTime() < deadline) {
      Pause.sleep(pacing.settlePoll());
      try {
        if (!loggedIn) {
          client.login();
          loggedIn = true;
        }
        RedfishClient.Response read = client.get(updateService);
        if (read.status() == 401) {
          loggedIn = false; // reset again between the login and the read
          good = 0;
        } else if (read.ok() && ++good >= pacing.goodReads()) {
          emit.event(Phase.INFO, null, "BMC is back: logged in again, " + good + " good reads in a row");
          return;
        } else if (!read.ok()) {
          good = 0;
        }
      } catch (RedfishClient.Gone | RedfishClient.NoAnswer stillAway) {
        // A booting BMC refuses, resets, or takes connections it does not answer yet.
        loggedIn = false;
        good = 0;
        client.forget();
      }
    }
    throw new DeployFailure("BMC " + client.bmc().address() + " went away and did not come back within " + timeout.toSeconds() + " s (--timeout)");
  }
}
