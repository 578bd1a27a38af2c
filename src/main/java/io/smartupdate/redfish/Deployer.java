package io.smartupdate.redfish;

import io.smartupdate.core.Threads;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;

/**
 * Deploys to many BMCs, at most {@code parallel} at once on a bounded pool; one BMC's failure
 * never stops the others unless the rollout says so: --canary nodes run first and alone, and
 * --max-failures or {@link #stop} close the gate to new nodes while those started run to their end.
 * A shutdown hook closes every BMC's Redfish session and subscription still open.
 */
public final class Deployer {
  /** A run's lease when not told: renewed every 10 s, so a dead process's run is free to take over 30 s after. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private final ServerApi server;
  private final DeployOptions options;
  private final DeployListener listener;
  private final HttpClient http;
  private final Gate gate;
  private final Set<BmcDeployment> running = ConcurrentHashMap.newKeySet();
  private final Duration lease;

  /** @param bmcTls how BMC certificates are checked ({@link BmcTls#trusting} or {@link BmcTls#insecure}) */
  public Deployer(ServerApi server, SSLContext bmcTls, DeployOptions options, DeployListener listener) {
    this(server, bmcTls, options, listener, DEFAULT_LEASE);
  }

  /** @param lease how long the run stays this process's without a renewal (renewed every third of it) */
  public Deployer(ServerApi server, SSLContext bmcTls, DeployOptions options, DeployListener listener, Duration lease) {
    this.lease = lease;
    this.server = server;
    this.options = options;
    this.listener = listener;
    this.gate = new Gate(options.rollout());
    Duration connect = options.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? options.requestTimeout() : Duration.ofSeconds(10);
    // One client for all BMCs: it multiplexes on one selector thread; the pool below bounds the callers.
    // Redirects are never followed: a BMC's 3xx would carry the session token to wherever it points.
    this.http = HttpClients.builder().sslContext(bmcTls).connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Starts no new node or step from now on (Ctrl-C); those started are followed to their end. */
  public void stop(String reason) {
    gate.close(reason);
  }

  /** Why nothing new starts any more (Ctrl-C, the rollout, a lost lease), or null while it may. */
  String stopped() {
    return gate.closed();
  }

  /** Waits until no push is half-sent, up to {@code limit}: an exit never cuts an image mid-upload. True when none is. */
  public boolean awaitPushes(Duration limit) throws InterruptedException {
    return gate.awaitPushes(limit);
  }

  /** Runs every BMC to its end (or skips it when the rollout stopped); results in the order given. The server records the run. */
  public List<BmcResult> run(List<Bmc> bmcs) throws InterruptedException {
    return run(bmcs, null, Map.of(), null);
  }

  /** Runs every BMC through its own steps ({@code plans} by BMC address, each in order); a BMC without runs the options' image. */
  public List<BmcResult> run(List<Bmc> bmcs, Map<String, List<Step>> plans) throws InterruptedException {
    return run(bmcs, null, plans, null);
  }

  /** As {@link #run(List, Map)}, recording that the plans apply {@code baseline}, so that a resume can tell when it changed. */
  public List<BmcResult> run(List<Bmc> bmcs, Map<String, List<Step>> plans, BaselineRun baseline) throws InterruptedException {
    return run(bmcs, null, plans, baseline);
  }

  /**
   * Continues run {@code runId} whose deploying process died: it is taken over once its owner's
   * lease ended (at once when the owner was a dead process of this host); finished steps are not
   * repeated, an update a BMC already accepted is followed and verified, never sent again, and the
   * steps left run in plan order.
   *
   * @throws IllegalArgumentException naming what changed, or who holds the run, when it cannot be resumed
   */
  public List<BmcResult> resume(String runId, List<Bmc> bmcs) throws InterruptedException {
    return run(bmcs, runId, Map.of(), null);
  }

  private List<BmcResult> run(List<Bmc> bmcs, String resume, Map<String, List<Step>> plans, BaselineRun baseline) throws InterruptedException {
    if (bmcs.isEmpty()) return List.of();
    DeployRun run;
    try {
      run = DeployRun.lookup(server, http, options, listener, gate, bmcs, resume, plans, baseline, lease);
    } catch (DeployFailure e) {
      if (resume != null) throw new IllegalArgumentException(e.getMessage(), e);
      return bmcs.stream().map(b -> new BmcResult(b.address(), b.node(), "-", "-", BmcResult.Outcome.FAILED, e.getMessage())).toList();
    }
    if (run.log().id() != null) listener.recorded(run.log().id());
    Thread hook = new Thread(() -> running.forEach(d -> d.abort(true)), "deploy-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallel(), bmcs.size()), Threads.daemon("deploy"));
    try (RunLease kept = RunLease.keep(server, run.log(), gate, lease)) {
      BmcResult[] results = new BmcResult[bmcs.size()];
      int canaries = Math.min(options.rollout().canary(), bmcs.size());
      runAll(pool, run, bmcs, 0, canaries, results);
      for (int i = 0; i < canaries; i++) {
        if (results[i].outcome().failed()) {
          gate.close("canary " + results[i].bmc() + " failed (--canary " + options.rollout().canary() + ")");
          break;
        }
      }
      runAll(pool, run, bmcs, canaries, bmcs.size(), results);
      List<BmcResult> all = Arrays.asList(results);
      run.log().ended(all);
      return all;
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it cleans up
      }
    }
  }

  /** Runs nodes {@code from} to {@code to} and waits for all of them; a node that finds the gate closed is skipped untouched. */
  private void runAll(ExecutorService pool, DeployRun run, List<Bmc> bmcs, int from, int to, BmcResult[] results) throws InterruptedException {
    List<Future<BmcResult>> futures = new ArrayList<>();
    for (Bmc bmc : bmcs.subList(from, to)) {
      futures.add(pool.submit(() -> {
        String closed = gate.closed();
        if (closed != null) {
          for (int step = 0; step < run.steps(bmc).size(); step++) run.log().step(bmc, step, "skipped", Map.of("reason", "not started: " + closed));
          return BmcResult.skipped(bmc, closed);
        }
        BmcDeployment deployment = new BmcDeployment(bmc, run);
        running.add(deployment);
        try {
          BmcResult result = deployment.run();
          gate.finished(result);
          return result;
        } finally {
          running.remove(deployment);
        }
      }));
    }
    for (int i = 0; i < futures.size(); i++) {
      try {
        results[from + i] = futures.get(i).get();
      } catch (ExecutionException e) {
        Bmc bmc = bmcs.get(from + i);
        results[from + i] = new BmcResult(bmc.address(), bmc.node(), "-", "-", BmcResult.Outcome.FAILED, String.valueOf(e.getCause()));
      }
    }
  }
}
