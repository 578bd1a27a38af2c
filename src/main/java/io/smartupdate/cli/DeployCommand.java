package io.smartupdate.cli;

import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.DeployOptions;
import io.smartupdate.redfish.Deployer;
import io.smartupdate.redfish.Rollout;
import io.smartupdate.redfish.ServerApi;
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
final class DeployCommand implements CliCommand {

  @Mixin PortOptions ports = new PortOptions();

  @Mixin BmcOptions bmcOptions = new BmcOptions();

  @Mixin PathOptions paths = new PathOptions();

  @Option(names = {"/image", "--image"}, paramLabel = "PATH", description = "the image, as a path in the repository (e.g. hpe/ilo5_310.bin)")
  String image;

  @Option(names = {"/targets", "--targets"}, paramLabel = "URI", split = ",", description = "SimpleUpdate Targets (repeatable or comma-separated)")
  List<String> targets = new ArrayList<>();

  @Option(names = {"/protocol", "--protocol"}, paramLabel = "http|https|ftp", description = "transfer protocol (default: https, then http, then ftp, as the BMC allows)")
  String protocol;

  @Option(names = {"/public_url", "--public-url"}, paramLabel = "URL", description = "the URL BMCs use to reach this server (default: the running server, on the route towards each BMC)")
  URI publicUrl;

  /** The old name of --public-url, kept for one release; {@code status --server} is the API address. */
  @Option(names = {"/server", "--server"}, paramLabel = "URL", hidden = true)
  URI deprecatedServer;

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

  @Option(names = {"/resume", "--resume"}, paramLabel = "RUN-ID", description = "continue a run whose deploying process died: "
      + "finished steps are not repeated, an update a BMC already accepted is followed, never sent again")
  String resume;

  @Option(names = {"/json", "--json"}, description = "one JSON object per event, then one per BMC result")
  boolean json;

  @Option(names = {"/s", "--silent"}, description = "no progress; failures only")
  boolean silent;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    PathOptions.Paths dirs = paths.resolve();
    Path dataDir = dirs.data();
    Path logDir = dirs.logDir();
    List<Bmc> targetsToDeploy = bmcOptions.bmcs(self);
    DeployOptions checked = options(self); // the command line is checked before a server is looked for; null: --resume's image, later
    SSLContext bmcTls = bmcOptions.tls(self);
    if (deprecatedServer != null) {
      err.println("smartupdate: warning: deploy --server is now --public-url; the old name goes in the next release");
    }
    Logging.configureOrRefuse(logDir, true, "deploy");
    Logger log = LoggerFactory.getLogger(DeployCommand.class);
    if (bmcOptions.insecureBmc) err.println("smartupdate: warning: --insecure-bmc: BMC certificates are not verified");
    try (ServerSource.Connection server = ServerSource.connect(ports, publicUrl, dirs, "deploy", ready -> {
      if (!silent && !json) err.println("smartupdate: no server was running; started one here: " + ready);
    })) {
      ServerApi api = server.api;
      if (resume != null && image == null) {
        try {
          image = api.runImage(resume);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(self, e.getMessage(), e, null, resume);
        }
      }
      DeployOptions options = checked != null ? checked : options(self);
      try {
        api.requireImage(options.image());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(self, e.getMessage(), e, null, options.image());
      }
      log.info("deploying {} to {} BMCs through {}", options.image(), targetsToDeploy.size(), api.api());
      DeployProgress.Mode mode = json ? DeployProgress.Mode.JSON : silent ? DeployProgress.Mode.QUIET
          : out == System.out && System.console() != null ? DeployProgress.Mode.TERMINAL : DeployProgress.Mode.PLAIN;
      List<BmcResult> results;
      try (DeployProgress progress = DeployProgress.create(mode, out)) {
        Deployer deployer = new Deployer(api, bmcTls, options, progress);
        try (Interrupts interrupts = Interrupts.install(deployer, err)) {
          if (resume != null) {
            try {
              results = deployer.resume(resume, targetsToDeploy);
            } catch (IllegalArgumentException refused) {
              err.println("smartupdate: " + refused.getMessage());
              return ExitCodes.FAILURE;
            }
          } else {
            results = deployer.run(targetsToDeploy);
          }
        }
        if (deployer.runId() != null && !silent && !json) {
          err.println("smartupdate: run " + deployer.runId() + " (GET /api/deploys/" + deployer.runId() + ")");
        }
        progress.finish(results);
      }
      boolean allOk = results.stream().allMatch(r -> r.outcome().ok());
      if (silent) results.stream().filter(r -> !r.outcome().ok()).forEach(r -> err.println("smartupdate: " + r.reason()));
      return allOk ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILURE;
    }
  }

  private DeployOptions options(CommandLine self) {
    if ((image == null || image.isBlank()) && resume == null) {
      throw new ParameterException(self, "no image: pass --image PATH-IN-REPO (e.g. hpe/ilo5_310.bin)");
    }
    if (resume != null && dryRun) throw new ParameterException(self, "--resume continues a run: it cannot be a --dry-run");
    if (image == null) return null; // --resume: the run's image, once the server is found
    if (protocol != null && !Set.of("http", "https", "ftp").contains(protocol.toLowerCase(Locale.ROOT))) {
      throw new ParameterException(self, "invalid value for --protocol: '" + protocol + "' (expected http, https or ftp)");
    }
    if (fetchTimeout < 1) throw new ParameterException(self, "invalid value for --fetch-timeout: " + fetchTimeout + " (expected seconds, 1 or more)");
    if (timeout < 1) throw new ParameterException(self, "invalid value for --timeout: " + timeout + " (expected seconds, 1 or more)");
    if (deprecatedServer != null) {
      if (publicUrl != null) throw new ParameterException(self, "--server is the old name of --public-url: give only --public-url");
      publicUrl = deprecatedServer;
    }
    if (publicUrl != null && (publicUrl.getScheme() == null || !publicUrl.getScheme().matches("https?") || publicUrl.getHost() == null)) {
      throw new ParameterException(self, "invalid value for --public-url: '" + publicUrl + "' (expected an http:// or https:// URL)");
    }
    if (canary < 0) throw new ParameterException(self, "invalid value for --canary: " + canary + " (expected a number of BMCs, 0 or more)");
    if (maxFailures < 0) throw new ParameterException(self, "invalid value for --max-failures: " + maxFailures + " (expected a number of BMCs, 1 or more; 0 or absent for no limit)");
    return new DeployOptions(image, targets, protocol, Duration.ofSeconds(fetchTimeout), Duration.ofSeconds(timeout), bmcOptions.parallel(self), subscribe, dryRun)
        .withRollout(new Rollout(canary, maxFailures));
  }

}
