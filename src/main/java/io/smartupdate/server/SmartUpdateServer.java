package io.smartupdate.server;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.firmware.FirmwareFeature;
import io.smartupdate.firmware.FirmwareRepository;
import io.smartupdate.ftp.FtpService;
import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.firewall.HostFirewall;
import io.smartupdate.firewall.PortSpec;
import io.smartupdate.handoff.HandoffManager;
import io.smartupdate.http.Routes;
import io.undertow.server.HttpHandler;
import io.smartupdate.status.StatusService;
import io.smartupdate.tls.CertificateStore;
import io.smartupdate.tls.TlsException;
import io.smartupdate.tls.TlsMaterial;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<AutoCloseable> resources = new ArrayList<>();
  private HttpEngine engine;
  private HttpEngine.Listener http;
  private HttpEngine.Listener https;
  private FtpService ftp;
  private boolean closed;
  private Runnable beforeDrain = () -> {};

  private SmartUpdateServer(ServerConfig config, TlsMaterial tls) {
    this.config = config;
    this.tls = tls;
  }

  /** Starts every listener or, if one cannot start, stops what started and throws. */
  public static SmartUpdateServer start(ServerConfig config) {
    TlsMaterial tls = loadTls(config);
    SmartUpdateServer server = new SmartUpdateServer(config, tls);
    try {
      server.startParts();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static TlsMaterial loadTls(ServerConfig config) {
    try {
      if (config.certFile() != null) {
        String password = System.getenv("SMARTUPDATE_CERT_PASSWORD");
        return CertificateStore.loadOperator(config.certFile(), config.keyFile(),
            password == null ? null : password.toCharArray());
      }
      return CertificateStore.loadOrGenerate(config.certsDir(), Clock.systemUTC());
    } catch (TlsException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private void startParts() {
    FirmwareRepository repository;
    try {
      repository = FirmwareRepository.open(config.repo(), config.dataDir());
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
    resources.add(repository);
    WriteAuth auth = writeAuth();
    StatusService status;
    try {
      status = StatusService.open(config.statusDb(), config.dataDir());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new StartupException(e.getMessage(), e);
    }
    resources.add(status);
    HandoffManager handoff = new HandoffManager(config.handoff(), Clock.systemUTC());
    resources.add(handoff);
    beforeDrain = () -> {
      handoff.closeListeners();
      status.closeStreams();
    };
    HttpHandler routes = Routes.build(List.of(new HealthFeature(this::ports), new FirmwareFeature(repository),
        status.feature(auth), handoff.feature(auth)));
    engine = new HttpEngine(handoff.gate(routes), tls, handoff::accepted);
    resources.add(engine);
    InetAddress address = PortBinder.address(config.bindAddress());
    handoff.attach((port, secure) -> engine.listenExactly(address, port, secure));
    http = engine.listen("HTTP", address, config.httpPort(), config.strictPorts(), false);
    https = engine.listen("HTTPS", address, config.httpsPort(), config.strictPorts(), true);
    if (config.ftp() != null) {
      ftp = FtpService.start(config.ftp(), config.bindAddress(), config.strictPorts(), config.repo(), tls);
      resources.add(ftp);
    }
    if (config.firewall() != FirewallMode.OFF) {
      List<PortSpec> open = new ArrayList<>(List.of(PortSpec.single(httpPort(), "HTTP"), PortSpec.single(httpsPort(), "HTTPS")));
      if (ftp != null) {
        open.add(PortSpec.single(ftp.port(), "FTP"));
        open.add(new PortSpec(config.ftp().passiveFirst(), config.ftp().passiveLast(), "FTP passive"));
      }
      open.add(new PortSpec(config.handoff().firstPort(), config.handoff().lastPort(), "hand-off"));
      // Closed first at stop (resources close in reverse), so no port stays open after the listeners.
      resources.add(HostFirewall.open(open, config.firewall(), Integer.toString(httpPort()), log::info));
    }
    log.info("HTTP on port {}, HTTPS on port {}, certificate {} (SHA-256 {})", httpPort(), httpsPort(),
        tls.source(), tls.fingerprint());
  }

  private WriteAuth writeAuth() {
    if (config.insecureWrites()) {
      log.warn("--insecure-writes: status and other writes are accepted WITHOUT authentication (labs only)");
      return WriteAuth.insecure();
    }
    try {
      String token = TokenFile.loadOrCreate(config.dataDir());
      log.info("writes need the token in {} (Authorization: Bearer, or HMAC-signed; see README)",
          config.dataDir().resolve(TokenFile.NAME));
      return WriteAuth.token(token, Clock.systemUTC());
    } catch (IllegalStateException e) {
      throw new StartupException(e.getMessage(), e);
    }
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

  /** The one line scripts wait for. */
  public String readyLine() {
    return "smartupdate ready http=" + httpPort() + " https=" + httpsPort() + (ftp == null ? "" : " ftp=" + ftp.port())
        + " fingerprint=" + fingerprint();
  }

  private Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (http != null) ports.put("http", http.port());
    if (https != null) ports.put("https", https.port());
    if (ftp != null) ports.put("ftp", ftp.port());
    return ports;
  }

  /** Closes listeners first (ports free at once), lets in-flight responses finish, then stops the rest. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (engine != null) engine.stopAccepting(config.shutdownGrace(), beforeDrain);
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", resource.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
