package io.smartupdate.cli;

import io.smartupdate.core.StartupException;
import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.DeployOptions;
import io.smartupdate.redfish.Deployer;
import io.smartupdate.redfish.Rollout;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.server.SmartUpdateServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code smartupdate deploy}: drives BMCs over Redfish to pull an image from this server, follows
 * them to the end and proves the fetch. Exit 0 when every BMC finished, 1 when any failed, 2 for
 * a usage error.
 *
 * <pre>
 * SMARTUPDATE_BMC_PASSWORD=... smartupdate deploy --bmc 10.0.0.5 --user admin --image hpe/ilo5_310.bin --bmc-ca bmc-ca.pem
 * smartupdate deploy /target 10.0.0.5 /user admin /targettype ilo5 --password-file pw --image hpe/ilo5_310.bin --insecure-bmc /dryrun
 * </pre>
 */
@Command(name = "deploy", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Update BMCs over Redfish from this server's repository, follow them to the end, and prove each image was fetched.",
        "The password comes from --password-file or SMARTUPDATE_BMC_PASSWORD, never from the command line."})
final class DeployCommand {

  @Mixin PortOptions ports = new PortOptions();

  @Mixin BmcOptions bmcOptions = new BmcOptions();

  @Option(names = {"/image", "--image"}, paramLabel = "PATH", description = "the image, as a path in the repository (e.g. hpe/ilo5_310.bin)")
  String image;

  @Option(names = {"/targets", "--targets"}, paramLabel = "URI", split = ",", description = "SimpleUpdate Targets (repeatable or comma-separated)")
  List<String> targets = new ArrayList<>();

  @Option(names = {"/protocol", "--protocol"}, paramLabel = "http|https|ftp", description = "transfer protocol (default: https, then http, then ftp, as the BMC allows)")
  String protocol;

  @Option(names = {"/server", "--server"}, paramLabel = "URL", description = "the URL BMCs use to reach this server (default: the running server, on the route towards each BMC)")
  URI server;

  @Option(names = {"/canary", "--canary"}, paramLabel = "N", description = "the first N BMCs run alone; the rest start only when all of them finished, and not at all when one failed")
  int canary;

  @Option(names = {"/max_failures", "--max-failures"}, paramLabel = "K", description = "after K failed BMCs no new BMC starts; those not started are reported skipped")
  int maxFailures;

  @Option(names = {"/fetch_timeout", "--fetch-timeout"}, paramLabel = "S", description = "seconds a BMC may take to start fetching once it accepted (default: 120)")
  int fetchTimeout = 120;

  @Option(names = {"/timeout", "--timeout"}, paramLabel = "S", description = "seconds for one BMC answer, the update, or a reset (default: 1800)")
  int timeout = 1800;

  @Option(names = {"/subscribe", "--subscribe"}, description = "subscribe this server's /redfish/events to each BMC's events for the run")
  boolean subscribe;

  @Option(names = {"/dryrun", "--dry-run"}, description = "log in, read the inventory, print what would be done; start nothing")
  boolean dryRun;

  @Option(names = {"/json", "--json"}, description = "one JSON object per event, then one per BMC result")
  boolean json;

  @Option(names = {"/s", "--silent"}, description = "no progress; failures only")
  boolean silent;

  @Option(names = {"/repo", "--repo"}, paramLabel = "DIR", description = "repository, for a server started here (default: firmware-samples)")
  Path repo;

  @Option(names = {"/certs", "--certs"}, paramLabel = "DIR", description = "TLS material, for a server started here (default: certs)")
  Path certs;

  @Option(names = {"/data", "--data"}, paramLabel = "DIR", description = "data directory: the write token is read here (default: data)")
  Path data;

  @Option(names = {"/logdir", "--logdir"}, paramLabel = "DIR", description = "log files (default: DATA/logs)")
  Path logdir;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  int run(CommandLine self, PrintStream out, PrintStream err) {
    if (help) {
      self.usage(out);
      return 0;
    }
    Path home = Path.of(System.getProperty("smartupdate.home", "."));
    Path dataDir = ServeCommand.absolute(data, ServeCommand.installed("data", home.resolve("data")));
    Path logDir = logdir != null ? logdir.toAbsolutePath() : ServeCommand.installed("logdir", dataDir.resolve("logs"));
    List<Bmc> targetsToDeploy;
    DeployOptions options;
    SSLContext bmcTls;
    try {
      targetsToDeploy = bmcOptions.bmcs(self);
      options = options(self);
      bmcTls = bmcOptions.tls(self);
    } catch (ParameterException e) {
      err.println("smartupdate: " + e.getMessage());
      err.println("Try 'smartupdate deploy --help' for the options.");
      return Main.EXIT_CONFIG;
    }
    try {
      Logging.configure(logDir, true, "deploy");
    } catch (IOException | RuntimeException e) {
      err.println("smartupdate: cannot write logs to " + logDir + ": " + e.getMessage() + " (pass /logdir DIR)");
      return Main.EXIT_CONFIG;
    }
    Logger log = LoggerFactory.getLogger(DeployCommand.class);
    if (bmcOptions.insecureBmc) err.println("smartupdate: warning: --insecure-bmc: BMC certificates are not verified");
    SmartUpdateServer started = null;
    Thread stopOnExit = null;
    try {
      ServerApi api = ServerSource.running(ports.port, server, dataDir);
      if (api == null) {
        if (server != null) {
          err.println("smartupdate: no smartupdate server answers at " + server + " or on port " + ports.port + " of this machine");
          return Main.EXIT_CONFIG;
        }
        started = ServerSource.start(ports, home, dataDir, logDir, repo, certs);
        // Ctrl-C: the server started here stops cleanly too (listeners closed, store flushed); close() runs once.
        stopOnExit = new Thread(started::close, "deploy-server-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        api = ServerSource.api(started, dataDir);
        if (!silent && !json) err.println("smartupdate: no server was running; started one here: " + started.readyLine());
      }
      try {
        api.requireImage(options.image());
      } catch (IllegalArgumentException e) {
        err.println("smartupdate: " + e.getMessage());
        return Main.EXIT_CONFIG;
      }
      log.info("deploying {} to {} BMCs through {}", options.image(), targetsToDeploy.size(), api.api());
      DeployProgress.Mode mode = json ? DeployProgress.Mode.JSON : silent ? DeployProgress.Mode.QUIET
          : out == System.out && System.console() != null ? DeployProgress.Mode.TERMINAL : DeployProgress.Mode.PLAIN;
      List<BmcResult> results;
      try (DeployProgress progress = DeployProgress.create(mode, out)) {
        Deployer deployer = new Deployer(api, bmcTls, options, progress);
        try (Interrupts interrupts = Interrupts.install(deployer, err)) {
          results = deployer.run(targetsToDeploy);
        }
        progress.finish(results);
      }
      boolean allOk = results.stream().allMatch(r -> r.outcome().ok());
      if (silent) results.stream().filter(r -> !r.outcome().ok()).forEach(r -> err.println("smartupdate: " + r.reason()));
      return allOk ? 0 : Main.EXIT_FAILURE;
    } catch (StartupException e) {
      err.println("smartupdate: " + e.getMessage());
      return Main.EXIT_CONFIG;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_FAILURE;
    } finally {
      if (started != null) started.close();
      if (stopOnExit != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or has run
        }
      }
    }
  }

  private DeployOptions options(CommandLine self) {
    if (image == null || image.isBlank()) throw new ParameterException(self, "no image: pass --image PATH-IN-REPO (e.g. hpe/ilo5_310.bin)");
    if (protocol != null && !Set.of("http", "https", "ftp").contains(protocol.toLowerCase(Locale.ROOT))) {
      throw new ParameterException(self, "invalid value for --protocol: '" + protocol + "' (expected http, https or ftp)");
    }
    if (fetchTimeout < 1) throw new ParameterException(self, "invalid value for --fetch-timeout: " + fetchTimeout + " (expected seconds, 1 or more)");
    if (timeout < 1) throw new ParameterException(self, "invalid value for --timeout: " + timeout + " (expected seconds, 1 or more)");
    if (server != null && (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null)) {
      throw new ParameterException(self, "invalid value for --server: '" + server + "' (expected an http:// or https:// URL)");
    }
    if (canary < 0) throw new ParameterException(self, "invalid value for --canary: " + canary + " (expected a number of BMCs, 0 or more)");
    if (maxFailures < 0) throw new ParameterException(self, "invalid value for --max-failures: " + maxFailures + " (expected a number of BMCs, 1 or more; 0 or absent for no limit)");
    return new DeployOptions(image, targets, protocol, Duration.ofSeconds(fetchTimeout), Duration.ofSeconds(timeout), bmcOptions.parallel(self), subscribe, dryRun)
        .withRollout(new Rollout(canary, maxFailures));
  }

}
