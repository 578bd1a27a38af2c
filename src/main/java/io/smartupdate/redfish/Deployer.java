package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Deploys one image to many BMCs, at most {@code parallel} at once on a bounded pool; one BMC's
 * failure never stops the others. A shutdown hook (Ctrl-C) closes every BMC's Redfish session,
 * subscription and hand-off session that is still open.
 */
public final class Deployer {
  private final ServerApi server;
  private final DeployOptions options;
  private final DeployListener listener;
  private final HttpClient http;
  private final Set<BmcDeployment> running = ConcurrentHashMap.newKeySet();

  /** @param bmcTls how BMC certificates are checked ({@link BmcTls#trusting} or {@link BmcTls#insecure}) */
  public Deployer(ServerApi server, SSLContext bmcTls, DeployOptions options, DeployListener listener) {
    this.server = server;
    this.options = options;
    this.listener = listener;
    Duration connect = options.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? options.requestTimeout() : Duration.ofSeconds(10);
    // One client for all BMCs: it multiplexes on one selector thread; the pool below bounds the callers.
    this.http = HttpClient.newBuilder().sslContext(bmcTls).connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Runs every BMC to its end; results in the order given. */
  public List<BmcResult> run(List<Bmc> bmcs) throws InterruptedException {
    if (bmcs.isEmpty()) return List.of();
    Thread hook = new Thread(() -> running.forEach(BmcDeployment::abort), "deploy-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallel(), bmcs.size()), threads());
    try {
      List<Future<BmcResult>> futures = new ArrayList<>();
      for (Bmc bmc : bmcs) {
        futures.add(pool.submit(() -> {
          BmcDeployment deployment = new BmcDeployment(bmc, server, http, options, listener);
          running.add(deployment);
          try {
            return deployment.run();
          } finally {
            running.remove(deployment);
          }
        }));
      }
      List<BmcResult> results = new ArrayList<>();
      for (int i = 0; i < bmcs.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Bmc bmc = bmcs.get(i);
          results.add(new BmcResult(bmc.address(), bmc.node(), "-", "-", BmcResult.Outcome.FAILED, String.valueOf(e.getCause())));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it cleans up
      }
    }
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "deploy-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
