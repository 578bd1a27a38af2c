package io.smartupdate.cli;

import io.smartupdate.firewall.FirewallMode;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.objectstore.ObjectStoreConfig;
import io.smartupdate.transport.Limits;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.Version;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The server's command line: every option in SUM form ({@code /port 80}) and GNU form ({@code --port 80}). */
@Command(name = "smartupdate", sortOptions = false, usageHelpAutoWidth = true, versionProvider = ServeCommand.VersionProvider.class,
    description = {"Firmware-staging server: BMCs and hosts pull firmware over HTTP/HTTPS and post their status back.",
        "Options take the SUM form (/port 80, /PORT=80, case-insensitive) or the GNU form (--port 80)."},
    footer = {"", "Examples:", "  smartupdate /port 80 /ssl_port 443", "  smartupdate --repo /srv/firmware --strict-ports"})
final class ServeCommand implements CliCommand {
  @Spec CommandSpec spec;

  @Mixin PortOptions ports = new PortOptions();

  @Mixin PathOptions paths = new PathOptions();

  @Option(names = {"/open_firewall", "--open-firewall"}, description = "open the used ports in the host firewall for the run (firewalld, nftables or iptables)")
  boolean openFirewall;

  @Option(names = {"/bind", "--bind"}, paramLabel = "ADDR", description = "listen address (default: all interfaces)")
  String bind;

  @Option(names = {"/strict_ports", "--strict-ports"}, description = "fail instead of taking the next free port on conflict")
  boolean strictPorts;

  @Option(names = {"/status_db", "--status-db"}, paramLabel = "URL", description = "JDBC URL of the status store, e.g. jdbc:postgresql://db/su?user=su&password=... (default: SQLite in DATA)")
  String statusDb;

  @Option(names = {"/access_log", "--access-log"}, paramLabel = "on|off", description = "LOGDIR/access.log, one line per request (default: on)")
  String accessLog = "on";

  @Option(names = {"/cert", "--cert"}, paramLabel = "FILE", description = "operator certificate: PEM, or PKCS#12 (password in SMARTUPDATE_CERT_PASSWORD)")
  Path cert;

  @Option(names = {"/key", "--key"}, paramLabel = "FILE", description = "operator private key (PEM) for --cert")
  Path key;

  @Option(names = {"/handoff_random", "--handoff-random"}, description = "pick hand-off ports at random (harder to port-scan)")
  boolean handoffRandom;

  @Option(names = {"/handoff_idle", "--handoff-idle"}, paramLabel = "S", description = "end a hand-off session after S idle seconds (default: 120)")
  Integer handoffIdle;

  @Option(names = {"/handoff_max_life", "--handoff-max-life"}, paramLabel = "S",
      description = "end a hand-off session after S seconds in any case (default: 14400)")
  Integer handoffMaxLife;

  @Option(names = {"/ftp_users", "--ftp-users"}, paramLabel = "FILE",
      description = "named read-only FTP users (FtpServer properties, salted hashes); anonymous is always allowed")
  Path ftpUsers;

  @Option(names = {"/max_connections", "--max-connections"}, paramLabel = "N",
      description = "open connections taken in all; more are closed at once (default: 8192, lowered to fit ulimit -n)")
  int maxConnections = Limits.DEFAULT.maxConnections();

  @Option(names = {"/max_client_connections", "--max-client-connections"}, paramLabel = "N",
      description = "open connections one client address may hold; more are closed at once (default: 256)")
  int maxClientConnections = Limits.DEFAULT.maxClientConnections();

  @Option(names = {"/insecure_writes", "--insecure-writes"}, description = "accept unauthenticated writes (labs only)")
  boolean insecureWrites;

  @Option(names = {"/dryrun_firewall", "--dry-run-firewall"}, description = "print the firewall commands instead of running them")
  boolean dryRunFirewall;

  @Option(names = {"/s", "--silent"}, description = "no console output but errors and the ready line")
  boolean silent;

  @Option(names = {"/s3_endpoint", "--s3-endpoint"}, paramLabel = "URL", description = "S3-compatible endpoint (MinIO, Ceph RGW...), "
      + "addressed path-style; default: AWS")
  URI s3Endpoint;

  @Option(names = {"/s3_region", "--s3-region"}, paramLabel = "REGION", description = "the bucket's region (default: the AWS chain's, else us-east-1)")
  String s3Region;

  @Option(names = {"/cache_size", "--cache-size"}, paramLabel = "SIZE", description = "cap of the local copy of a bucket repository, "
      + "e.g. 50G or 800M (default: 20G)")
  String cacheSize;

  @Option(names = {"/proxy_protocol", "--proxy-protocol"}, description = "the HTTP and HTTPS ports expect a PROXY protocol "
      + "header (v1 or v2, HAProxy's send-proxy-v2) and refuse connections without one; hand-off ports do not")
  boolean proxyProtocol;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = {"--version"}, versionHelp = true, description = "print the version")
  boolean version;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    ServerConfig config = toConfig(InstallLayout.current());
    Logging.configureOrRefuse(logDir(config), silent, "smartupdate");
    return Main.serve(config, logDir(config), out, err);
  }

  /** Checks what picocli cannot, then resolves paths: given ones against the current directory, defaults in {@code layout}. */
  ServerConfig toConfig(InstallLayout layout) {
    if (key != null && cert == null) throw new ParameterException(spec.commandLine(), "option /key needs /cert FILE as well");
    PathOptions.Paths dirs = paths.resolve(layout);
    return ServerConfig.builder()
        .bindAddress(bind)
        .httpPort(ports.checked("/port", ports.port, true))
        .httpsPort(ports.checked("/ssl_port", ports.sslPort, true))
        .strictPorts(strictPorts)
        .repo(paths.bucket() != null ? cacheDir(dirs.data()) : dirs.repo())
        .objectStore(objectStore(dirs.data()))
        .certsDir(dirs.certs())
        .dataDir(dirs.data())
        .logDir(accessLog() ? dirs.logDir() : null)
        .operatorCertificate(cert == null ? null : cert.toAbsolutePath(), key == null ? null : key.toAbsolutePath())
        .statusDb(statusDb)
        .insecureWrites(insecureWrites)
        .handoff(handoff())
        .ftp(ftp())
        .proxyProtocol(proxyProtocol)
        .firewall(dryRunFirewall ? FirewallMode.DRY_RUN : openFirewall ? FirewallMode.OPEN : FirewallMode.OFF)
        .limits(Limits.DEFAULT.withConnections(positive("/max_connections", maxConnections),
            positive("/max_client_connections", Math.min(maxClientConnections, maxConnections))))
        .build();
  }

  private FtpConfig ftp() {
    if (ftpUsers != null && ports.ftpPort == null) {
      throw new ParameterException(spec.commandLine(), "/ftp_users needs /ftp_port N as well");
    }
    FtpConfig settings = ports.ftp(true);
    return settings == null || ftpUsers == null ? settings : settings.withUsersFile(ftpUsers.toAbsolutePath());
  }

  private HandoffConfig handoff() {
    HandoffConfig settings = ports.handoff(HandoffConfig.DEFAULT.withRandom(handoffRandom));
    try {
      if (handoffIdle != null) settings = settings.withIdle(Duration.ofSeconds(handoffIdle));
      if (handoffMaxLife != null) settings = settings.withMaxLife(Duration.ofSeconds(handoffMaxLife));
      return settings;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid value for /handoff_ports, /handoff_idle or /handoff_max_life: " + e.getMessage());
    }
  }

  private int positive(String option, int value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": " + value + " (expected 1 or more)");
    return value;
  }

  /** The server's own log directory, which the access log shares unless it is off. */
  Path logDir(ServerConfig config) {
    return InstallLayout.current().logDir(paths.logdir, config.dataDir());
  }

  private boolean accessLog() {
    String value = accessLog.toLowerCase(Locale.ROOT);
    if (!value.equals("on") && !value.equals("off")) {
      throw new ParameterException(spec.commandLine(), "invalid value for /access_log, --access-log: '" + accessLog + "' (expected on or off)");
    }
    return value.equals("on");
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "smartupdate " + Version.get() + " (commit " + Version.commit() + ")",
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")"};
    }
  }

  /** The bucket repository of --repo s3://..., or null for a directory; the s3 options without it are an error. */
  private ObjectStoreConfig objectStore(Path dataDir) {
    String bucket = paths.bucket();
    if (bucket == null) {
      if (s3Endpoint != null || s3Region != null || cacheSize != null) {
        throw new ParameterException(spec.commandLine(), "/s3_endpoint, /s3_region and /cache_size need /repo s3://BUCKET/PREFIX");
      }
      return null;
    }
    if (ports.ftpPort != null) {
      throw new ParameterException(spec.commandLine(), "/ftp_port serves a local directory; it cannot serve a repository in object storage ("
          + bucket + ")");
    }
    try {
      return ObjectStoreConfig.of(bucket, s3Endpoint, s3Region, cacheDir(dataDir),
          cacheSize == null ? ObjectStoreConfig.DEFAULT_CACHE_SIZE : bytes("/cache_size", cacheSize));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Path cacheDir(Path dataDir) {
    return dataDir.resolve("s3-cache");
  }

  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([KMGT]?)i?B?", Pattern.CASE_INSENSITIVE);

  /** {@code 123}, {@code 800M}, {@code 50G}, {@code 2T} (powers of 1024). */
  private long bytes(String option, String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) throw new ParameterException(spec.commandLine(), "option " + option + " must be a size such as 800M or 50G, not '" + value + "'");
    int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      default -> 0;
    };
    long size = Long.parseLong(m.group(1)) << shift;
    if (size <= 0) throw new ParameterException(spec.commandLine(), "option " + option + " must be more than 0");
    return size;
  }
}
