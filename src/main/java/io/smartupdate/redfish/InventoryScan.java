package io.smartupdate.redfish;

import io.smartupdate.baseline.NodeInventory;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the firmware inventory of many BMCs, at most {@code parallel} at once: log in, read,
 * log out. One BMC's failure (refused login, untrusted certificate, no answer) is its result,
 * never the others' end.
 */
public final class InventoryScan {
  private static final Logger log = LoggerFactory.getLogger(InventoryScan.class);

  /** One BMC's inventory, or why it could not be read (then {@code inventory} is null). */
  public record Outcome(Bmc bmc, NodeInventory inventory, String failure) {
    public Outcome {
      Objects.requireNonNull(bmc, "bmc == null");
      if ((inventory == null) == (failure == null)) throw new IllegalArgumentException("an outcome has an inventory or a failure");
    }

    public boolean ok() {
      return inventory != null;
    }
  }

  private final HttpClient http;
  private final Duration timeout;
  private final int parallel;
  private final Clock clock;

  /** @param bmcTls how BMC certificates are checked ({@link BmcTls#trusting} or {@link BmcTls#insecure}) */
  public InventoryScan(SSLContext bmcTls, Duration timeout, int parallel, Clock clock) {
    if (parallel < 1) throw new IllegalArgumentException("parallel < 1: " + parallel);
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    this.parallel = parallel;
    this.clock = Objects.requireNonNull(clock, "clock == null");
    Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
    this.http = HttpClients.builder().sslContext(bmcTls).connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Every BMC's outcome, in the order given; {@code each} hears of each as it ends (from the pool's threads). */
  public List<Outcome> run(List<Bmc> bmcs, Consumer<Outcome> each) throws InterruptedException {
    if (bmcs.isEmpty()) return List.of();
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, bmcs.size()), task -> {
      Thread thread = new Thread(task, "inventory-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Bmc bmc : bmcs) {
        futures.add(pool.submit(() -> {
          Outcome outcome = read(bmc);
          each.accept(outcome);
          return outcome;
        }));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < bmcs.size(); i++) {
        try {
          outcomes.add(futures.get(i).get());
        } catch (ExecutionException e) {
          outcomes.add(new Outcome(bmcs.get(i), null, "BMC " + bmcs.get(i).address() + ": " + e.getCause()));
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One BMC: its inventory, or the one line saying why not. */
  public Outcome read(Bmc bmc) {
    // A busy BMC (503/429 with Retry-After) is waited for within one request timeout, as deploy does.
    RedfishClient client = new RedfishClient(bmc, http, timeout, timeout,
        (pause, request, status) -> log.info("BMC {} busy ({}) on {}: waiting {} ms", bmc.address(), status, request, pause.toMillis()));
    try {
      client.login();
      return new Outcome(bmc, InventoryReader.read(client, bmc.node(), clock.instant()), null);
    } catch (DeployFailure | RedfishClient.Gone e) {
      return new Outcome(bmc, null, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("BMC {}: unexpected failure reading the inventory", bmc.address(), e);
      return new Outcome(bmc, null, "BMC " + bmc.address() + ": " + e);
    } finally {
      client.logout();
    }
  }
}
