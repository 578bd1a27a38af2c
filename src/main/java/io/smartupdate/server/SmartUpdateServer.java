package io.smartupdate.server;

import io.smartupdate.auth.LiveTokens;
import io.smartupdate.auth.TokenFile;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.compliance.Compliance;
import io.smartupdate.compliance.ComplianceFeature;
import io.smartupdate.deploys.DeploysFeature;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.MonotonicClock;
import io.smartupdate.core.PortBinder;
import io.smartupdate.core.StartupException;
import io.smartupdate.core.Threads;
import io.smartupdate.downloads.DownloadLog;
import io.smartupdate.downloads.DownloadShare;
import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.firewall.HostFirewall;
import io.smartupdate.firmware.FirmwareFeature;
import io.smartupdate.firmware.BucketImages;
import io.smartupdate.firmware.FirmwareRepository;
import io.smartupdate.objectstore.ObjectStore;
import io.smartupdate.ftp.FtpService;
import io.smartupdate.handoff.HandoffManager;
import io.smartupdate.http.ExchangeEnd;
import io.smartupdate.http.HttpErrors;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Routes;
import io.smartupdate.metrics.Metrics;
import io.smartupdate.status.SharedState;
import io.smartupdate.status.StatusService;
import io.smartupdate.tls.CertificateStore;
import io.smartupdate.tls.TlsException;
import io.smartupdate.tls.TlsMaterial;
import io.smartupdate.transport.AccessLog;
import io.smartupdate.transport.HttpEngine;
import io.smartupdate.transport.TlsSniffer;
import io.smartupdate.web.WebFeature;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part with plain constructors, starts them all or none, and
 * owns their shutdown. Started once by {@link #start}; {@link #close} stops it for good.
 */
public final class SmartUpdateServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmartUpdateServer.class);

  private final ServerConfig config;
  private final TlsMaterial tls;
  private final FutureTask<SSLContext> httpsContext;
  /** The wall clock: certificates, signed-request skew, download and start times. */
  private final Clock clock;
  /** Hand-off timeouts only: it survives the wall clock being stepped, which certificates must not. */
  private final Clock timeouts = new MonotonicClock();
  /** Started parts, newest first: the order in which they stop. */
  private final Deque<Lifecycle> parts = new ArrayDeque<>();
  private HttpEngine.Listener http;
  private HttpEngine.Listener https;
  private FtpService ftp;
  private boolean closed;

  private SmartUpdateServer(ServerConfig config, TlsMaterial tls, Clock clock) {
    this.config = config;
    this.tls = tls;
    this.clock = clock;
    // The HTTPS engine (BoringSSL's native library to load, its context to build) is made on its
    // own thread while the repository and the status store open on this one.
    this.httpsContext = new FutureTask<>(tls::httpsContext);
    Threads.daemon("tls-engine").newThread(httpsContext).start();
  }

  /** Starts every listener on the system clock or, if one cannot start, stops what started and throws. */
  public static SmartUpdateServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts every listener with {@code clock} as every part's wall clock. */
  public static SmartUpdateServer start(ServerConfig config, Clock clock) {
    TlsMaterial tls = loadTls(config, clock);
    SmartUpdateServer server = new SmartUpdateServer(config, tls, clock);
    try {
      server.startParts();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static TlsMaterial loadTls(ServerConfig config, Clock clock) {
    try {
      if (config.certFile() != null) {
        String password = System.getenv("SMARTUPDATE_CERT_PASSWORD");
        return CertificateStore.loadOperator(config.certFile(), config.keyFile(),
            password == null ? null : password.toCharArray(), clock);
      }
      return CertificateStore.loadOrGenerate(config.certsDir(), clock);
    } catch (TlsException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private void startParts() {
    FirmwareFeature firmware;
    Supplier<String> repositoryFailure;
    Supplier<Map<String, Object>> manifestHealth;
    Function<String, Optional<Baseline>> baselines;
    if (config.objectStore() != null) {
      BucketImages bucket = started(() -> new BucketImages(ObjectStore.open(config.objectStore()),
          config.objectStore().cacheDir().resolveSibling("s3-manifest")));
      firmware = new FirmwareFeature(bucket);
      repositoryFailure = bucket::failure;
      manifestHealth = bucket::manifestHealth;
      baselines = bucket::baseline;
    } else {
      FirmwareRepository repository = started(() -> FirmwareRepository.open(config.repo(), config.dataDir()));
      firmware = new FirmwareFeature(repository);
      repositoryFailure = () -> null;
      manifestHealth = repository::manifestHealth;
      baselines = repository::baseline;
    }
    Metrics metrics = new Metrics();
    String serverName = instanceName();
    DownloadLog downloads = started(() -> new DownloadLog(clock, serverName));
    StatusService status = started(() -> StatusService.open(config.statusDb(), config.dataDir(), downloads, metrics));
    WriteAuth auth = writeAuth();
    DownloadShare share = SharedState.downloads(config.statusDb(), serverName);
    if (share != null) downloads.share(share); // closed with the record
    SSLContext context = httpsContext();
    HttpEngine engine = started(() -> new HttpEngine(context, config.limits(),
        new TlsSniffer.Outcomes(metrics::tlsHandshake, metrics::tlsFailure), config.proxyProtocol()));
    InetAddress address = PortBinder.address(config.bindAddress());
    HandoffManager handoff = started(() -> new HandoffManager(config.handoff(),
        (port, secure) -> engine.listenExactly(address, port, secure), timeouts));
    metrics.gauge("smartupdate_downloads_in_flight", "Firmware responses being sent now", downloads::inFlight);
    metrics.gauge("smartupdate_downloads_unshared", "Download records not yet in the shared store (kept while PostgreSQL is away)",
        downloads::unshared);
    metrics.gauge("smartupdate_handoff_sessions_open", "Hand-off sessions open now", handoff::openSessions);
    metrics.gauge("smartupdate_handoff_ports_free", "Hand-off ports no session of this server holds", handoff::freePorts);
    // The manifest's baselines as offered: a component whose file is not what its entry says is left out.
    Compliance compliance = new Compliance(status.inventories(), baselines, clock);
    metrics.gauges("smartupdate_components", "Components of the default baseline on the nodes analysed, by action "
        + "(the rows of GET /api/compliance)", "action", compliance::counts);
    List<HttpFeature> features = List.of(
        new HealthFeature(() -> ports().listeners(), status::storeFailure, repositoryFailure, manifestHealth),
        firmware,
        status.feature(auth, config.limits().maxClientStreams()),
        handoff.feature(auth),
        downloads.feature(),
        metrics.feature(),
        new ServerInfoFeature(config, () -> ports().listeners(), tls.fingerprint(), status::storeFailure, clock),
        new ComplianceFeature(compliance, auth),
        new DeploysFeature(status.deployRuns(), auth, clock),
        WebFeature.load());
    HttpHandler routes = Routes.build(features);
    // The gate answers before the route table (session tokens, ?handoff=1), so it needs the error mapping too.
    // The observers sit outside it: they see every answer, the gate's refusals included.
    // One completion hook tells the observers of each ended exchange, in this order.
    List<ExchangeEnd.Observer> ends = new ArrayList<>(List.of(downloads, metrics));
    if (config.logDir() != null) ends.add(started(() -> new AccessLog(config.logDir())));
    HttpHandler root = ExchangeEnd.observe(downloads.observe(HttpErrors.handler(handoff.gate(routes))), ends);
    engine.serve(root, handoff::accepted);
    http = engine.listen("HTTP", address, config.httpPort(), config.strictPorts(), false);
    https = engine.listen("HTTPS", address, config.httpsPort(), config.strictPorts(), true);
    if (config.ftp() != null) {
      ftp = started(() -> FtpService.start(config.ftp(), config.bindAddress(), config.strictPorts(), config.repo(), tls));
    }
    if (config.firewall() != FirewallMode.OFF) {
      // Stopped first (parts stop newest first), so no port stays open after its listener.
      started(() -> HostFirewall.open(ports().all(), config.firewall(), Integer.toString(httpPort()), log::info));
    }
    log.info("HTTP on port {}, HTTPS on port {}, certificate {} (SHA-256 {})", httpPort(), httpsPort(),
        tls.source(), tls.fingerprint());
  }

  private SSLContext httpsContext() {
    try {
      return httpsContext.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while the HTTPS engine was made", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) throw failure;
      throw new IllegalStateException("the HTTPS engine could not be made", e.getCause());
    }
  }

  /**
   * Starts a part and records it for the stop. A part throws {@link StartupException} for what the
   * operator must fix; anything else it throws is a bug and passes through as itself (exit 1, with its trace).
   */
  private <T extends Lifecycle> T started(Supplier<T> start) {
    T part = start.get();
    parts.push(part);
    return part;
  }

  private WriteAuth writeAuth() {
    if (config.insecureWrites()) {
      log.warn("--insecure-writes: status and other writes are accepted WITHOUT authentication (labs only)");
      return WriteAuth.insecure();
    }
    LiveTokens tokens = started(() -> new LiveTokens(SharedState.tokens(config.statusDb(), config.dataDir(), clock)));
    log.info("writes need the token in {} (Authorization: Bearer, or HMAC-signed; see README){}", tokens.where(),
        SharedState.shared(config.statusDb()) ? ", copied to " + config.dataDir().resolve(TokenFile.NAME) : "");
    return WriteAuth.tokens(tokens, clock);
  }

  /** How this server names itself in the records it shares: the host, and a random tag for servers sharing one. */
  private static String instanceName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + "-" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
  }

  public int httpPort() {
    return http.port();
  }

  public int httpsPort() {
    return https.port();
  }

  /** SHA-256 fingerprint of the served certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
  public String fingerprint() {
    return tls.fingerprint();
  }

  public TlsMaterial tls() {
    return tls;
  }

  /** The FTP control port, or -1 when FTP is off. */
  public int ftpPort() {
    return ftp == null ? -1 : ftp.port();
  }

  /** The ports bound, with the ranges in use. */
  public PortsInUse ports() {
    return PortsInUse.of(httpPort(), httpsPort(), ftp == null ? null : config.ftp().withPort(ftp.port()), config.handoff());
  }

  /** The one line scripts wait for. */
  public String readyLine() {
    return "smartupdate ready http=" + httpPort() + " https=" + httpsPort() + (ftp == null ? "" : " ftp=" + ftp.port())
        + " fingerprint=" + fingerprint();
  }

  /**
   * Stops every part, newest first: all stop accepting (ports free at once), then in-flight work
   * drains until the grace ends, then all close. Failures are logged together, each with its trace.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    Exception failures = Shutdown.stopAll(List.copyOf(parts), Instant.now().plus(config.shutdownGrace()));
    if (failures != null) log.warn("stopped with {} problem(s)", failures.getSuppressed().length, failures);
  }
}
