package io.smartupdate.fleet;

import io.smartupdate.core.Threads;
import io.smartupdate.testing.Ports;
import io.smartupdate.tls.HeldCertificate;
import io.smartupdate.transport.HttpEngine;
import io.smartupdate.transport.Limits;
import io.smartupdate.transport.TlsSniffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * N simulated Redfish BMCs in one JVM, light enough for 1,000 (benchmarks, fleet-sim, a lean IT):
 * each is its own HTTPS listener on 127.0.0.1 (a free port range below the ephemeral one), all on
 * one {@link HttpEngine} (one small XNIO worker, one TLS context) and answered on its IO threads;
 * one JDK HttpClient fetches every image asynchronously, one scheduler thread flashes and resets.
 * Each BMC really fetches its ImageURI and checks the image's SHA-256 before its task completes;
 * its own firmware's update makes it reset: the listener closes (connections refused) and its
 * connections are cut for {@link Options#reset}, then it comes back with the new version.
 *
 * <p>Start them before the servers they fetch from: a server's hand-off range is not bound until a
 * session opens it, so a range chosen free after the server started may take its hand-off ports.
 *
 * <p>A JDK HttpsServer per BMC was the other way: one dispatcher thread per server, so a thousand
 * threads for a thousand BMCs, against about a dozen here.
 */
public final class SimBmcs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimBmcs.class);

  /** The credentials every sim BMC takes, how long a flash takes, and how long a BMC reset refuses connections. */
  public record Options(String user, String password, Duration flash, Duration reset) {
    public static final Options DEFAULT = new Options("admin", "sim-bmc-password", Duration.ofMillis(500), Duration.ofSeconds(1));

    public Options {
      if (user == null || user.isBlank()) throw new IllegalArgumentException("user must not be blank");
      if (password == null || password.isBlank()) throw new IllegalArgumentException("password must not be blank");
      if (flash == null || flash.isNegative()) throw new IllegalArgumentException("flash must be zero or more, not " + flash);
      if (reset == null || reset.isNegative()) throw new IllegalArgumentException("reset must be zero or more, not " + reset);
    }
  }

  final String user;
  final String password;
  private final Options options;
  private final HeldCertificate ca;
  private final HttpEngine engine;
  private final HttpClient fetcher;
  private final ExecutorService fetchExecutor = Executors.newFixedThreadPool(2, Threads.daemon("sim-bmc-fetch"));
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(Threads.daemon("sim-bmc-clock"));
  private final List<SimBmc> bmcs = new ArrayList<>();
  private final List<HttpEngine.Listener> listeners = new ArrayList<>();
  private final int firstPort;
  private volatile boolean closed;

  private SimBmcs(int count, Options options, SSLContext fetchTrust) throws Exception {
    this.options = options;
    this.user = options.user();
    this.password = options.password();
    this.ca = HeldCertificate.builder().commonName("Sim BMC CA").certificateAuthority(0).build();
    HeldCertificate leaf = HeldCertificate.builder().commonName("sim-bmc").addSubjectAlternativeName("127.0.0.1")
        .addSubjectAlternativeName("localhost").signedBy(ca).build();
    // Every BMC's listener on one engine; connections from the one deploying address are not capped per client.
    engine = new HttpEngine(serverContext(leaf), Limits.DEFAULT.withConnections(16_384, 16_384), new TlsSniffer.Outcomes(() -> {}, () -> {}), false);
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL).executor(fetchExecutor);
    fetcher = (fetchTrust == null ? client : client.sslContext(fetchTrust)).build();
    engine.serve(exchange -> bmcAt(exchange.getConnection().getLocalAddress(InetSocketAddress.class)).handle(exchange), this::accepted);
    firstPort = bind(count);
  }

  /** Starts {@code count} BMCs; their images are fetched trusting {@code fetchTrust} (the server's CA; null: the JDK's CAs). */
  public static SimBmcs start(int count, Options options, SSLContext fetchTrust) throws Exception {
    if (count < 1) throw new IllegalArgumentException("count must be at least 1, not " + count);
    return new SimBmcs(count, options, fetchTrust);
  }

  private int bind(int count) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int first = Ports.freeRange(count);
      bmcs.clear();
      try {
        for (int i = 0; i < count; i++) {
          listeners.add(engine.listenExactly(InetAddress.getLoopbackAddress(), first + i, true));
          bmcs.add(new SimBmc(this, first + i));
        }
        return first;
      } catch (IOException e) {
        last = e; // another process took a port of the range since it was found free: another range
        listeners.forEach(HttpEngine.Listener::close);
        listeners.clear();
      }
    }
    throw last;
  }

  private SimBmc bmcAt(InetSocketAddress local) {
    return bmcs.get(local.getPort() - firstPort);
  }

  private void accepted(StreamConnection connection) {
    SimBmc bmc = bmcAt(connection.getLocalAddress(InetSocketAddress.class));
    bmc.connections.removeIf(c -> !c.isOpen());
    bmc.connections.add(connection);
  }

  /** Every BMC back to its first versions, for another deploy to the same listeners. */
  public void reinstall() {
    bmcs.forEach(SimBmc::reinstall);
  }

  public List<SimBmc> bmcs() {
    return List.copyOf(bmcs);
  }

  /** One {@code 127.0.0.1:PORT} a line: a --bmc-file. */
  public Path writeBmcFile(Path file) throws IOException {
    return Files.write(file, bmcs.stream().map(SimBmc::address).toList());
  }

  /** The CA the BMCs' certificates chain to, as PEM (for --bmc-ca). */
  public Path writeCa(Path file) throws IOException {
    return Files.writeString(file, ca.certificatePem());
  }

  /** Fetches the image for {@code task}, checks it, flashes it (a BMC's own firmware then resets it). */
  void fetch(SimBmc bmc, SimBmc.Task task, String imageUri, String target) {
    SimImage.Check check = new SimImage.Check();
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(imageUri)).timeout(Duration.ofSeconds(120)).build();
    } catch (IllegalArgumentException e) {
      fail(task, "The ImageURI " + imageUri + " is not a valid URI.");
      return;
    }
    fetcher.sendAsync(request, info -> check.subscriber(info.statusCode())).whenComplete((response, error) -> {
      if (error != null) {
        fail(task, "Transfer of image " + imageUri.replaceAll("\\?.*", "") + " failed: " + error.getCause());
        return;
      }
      String wrong = check.verdict(target);
      if (wrong != null) {
        fail(task, "Image " + imageUri.replaceAll("\\?.*", "") + " was not applied: " + wrong);
        return;
      }
      flash(bmc, task, check.header());
    });
  }

  private void flash(SimBmc bmc, SimBmc.Task task, SimImage.Header image) {
    task.percent = 10;
    task.message = "The image is being applied to " + image.member() + ".";
    long steps = 4;
    for (long step = 1; step <= steps; step++) {
      int percent = (int) (10 + 90 * step / steps);
      boolean last = step == steps;
      clock.schedule(() -> {
        task.percent = percent;
        if (!last) return;
        task.message = "Device " + SimBmc.memberName(image.member()) + " successfully updated with image (" + image.version() + ").";
        task.state = "Completed";
        bmc.completed.incrementAndGet();
        if (image.member().equals("BMC")) {
          clock.schedule(() -> reset(bmc, image.version()), 200, TimeUnit.MILLISECONDS); // activates the new firmware
        } else {
          bmc.installed(image.member(), image.version());
        }
      }, options.flash().toMillis() * step / steps, TimeUnit.MILLISECONDS);
    }
  }

  private static void fail(SimBmc.Task task, String why) {
    task.message = why;
    task.state = "Exception";
  }

  /** Resets {@code bmc} now, as its own firmware's update does; it comes back running {@code version}. */
  void resetNow(SimBmc bmc, String version) {
    reset(bmc, version);
  }

  /** The BMC reboots: no listener (connections refused), every connection cut, every session forgotten; then back with {@code version}. */
  private void reset(SimBmc bmc, String version) {
    int index = bmc.port - firstPort;
    bmc.down = true;
    bmc.forgetSessions();
    synchronized (listeners) {
      listeners.get(index).close();
    }
    bmc.connections.forEach(IoUtils::safeClose);
    bmc.connections.clear();
    clock.schedule(() -> comeBack(bmc, version), options.reset().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void comeBack(SimBmc bmc, String version) {
    if (closed) return;
    try {
      bmc.installed("BMC", version); // the new firmware is what boots
      bmc.down = false;
      HttpEngine.Listener listener = engine.listenExactly(InetAddress.getLoopbackAddress(), bmc.port, true);
      synchronized (listeners) {
        listeners.set(bmc.port - firstPort, listener);
      }
    } catch (IOException e) {
      log.debug("sim BMC {} cannot listen again yet ({}); trying again", bmc.address(), e.getMessage());
      clock.schedule(() -> comeBack(bmc, version), 100, TimeUnit.MILLISECONDS);
    }
  }

  private static SSLContext serverContext(HeldCertificate leaf) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] secret = "sim".toCharArray();
    keys.setKeyEntry("bmc", leaf.keyPair().getPrivate(), secret, new Certificate[] {leaf.certificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, secret);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  @Override
  public void close() {
    closed = true;
    clock.shutdownNow();
    synchronized (listeners) {
      listeners.forEach(HttpEngine.Listener::close);
    }
    engine.close();
    fetchExecutor.shutdownNow();
  }
}
