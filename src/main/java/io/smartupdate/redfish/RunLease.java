package io.smartupdate.redfish;

import io.smartupdate.core.Threads;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's lease on the run it drives, renewed every third of the lease on a thread of its
 * own (never a BMC's). When a renewal finds another owner, or the lease ended without a renewal
 * the server confirmed, the gate closes: no new node or step starts, so that two processes never
 * drive one BMC.
 */
final class RunLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunLease.class);
  /** This process as an owner: host, pid, and a random part so that a reused pid is never taken for it. */
  private static final String HOST = host();
  static final String OWNER = HOST + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());

  private final ServerApi server;
  private final RunLog run;
  private final Gate gate;
  private final Duration lease;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("deploy-lease"));
  private volatile long renewedAt = System.nanoTime();

  private RunLease(ServerApi server, RunLog run, Gate gate, Duration lease) {
    this.server = server;
    this.run = run;
    this.gate = gate;
    this.lease = lease;
  }

  /** Renews {@code run}'s lease until closed; a run not recorded has nothing to renew. */
  static RunLease keep(ServerApi server, RunLog run, Gate gate, Duration lease) {
    RunLease kept = new RunLease(server, run, gate, lease);
    if (run.id() != null) {
      long every = Math.max(100, lease.toMillis() / 3);
      kept.timer.scheduleWithFixedDelay(kept::renew, every, every, TimeUnit.MILLISECONDS);
    }
    return kept;
  }

  /**
   * {@code owner} when it is a process of this host that is no longer alive (a deploy killed here):
   * its successor may take its run over before the lease ends. Null otherwise.
   */
  static String deadPredecessor(String owner) {
    if (owner == null) return null;
    String[] parts = owner.split(":");
    if (parts.length != 3 || !parts[0].equals(HOST)) return null;
    try {
      return ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false) ? null : owner;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void renew() {
    try {
      server.runs().renewLease(run.id(), run.owner(), lease);
      renewedAt = System.nanoTime();
    } catch (ServerApi.Refused e) {
      if (e.conflict()) {
        String holder = holder();
        run.lost(holder);
        gate.close("lost the run to " + holder);
        log.warn("run {}: {}; no new node or step starts here", run.id(), e.detail());
        timer.shutdown();
      } else {
        unconfirmed(e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      unconfirmed(e.getMessage());
    }
  }

  /** The renewal failed without an answer: once the lease may have ended, another process may hold the run, so nothing new starts. */
  private void unconfirmed(String why) {
    log.warn("run {}: cannot renew the lease: {}", run.id(), why);
    if (System.nanoTime() - renewedAt > lease.toNanos()) {
      gate.close("the lease on run " + run.id() + " could not be renewed for " + lease.toSeconds() + " s (" + why + ")");
    }
  }

  /** Who holds the run now, as the server says. */
  private String holder() {
    try {
      return server.runs().get(run.id()).path("owner").asText("another process");
    } catch (IOException e) {
      return "another process";
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replace(':', '_');
    } catch (IOException e) {
      return "localhost";
    }
  }
}
