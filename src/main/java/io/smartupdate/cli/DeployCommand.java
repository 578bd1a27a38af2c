package io.smartupdate.cli;

import io.smartupdate.baseline.Analyzer;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.core.StartupException;
import io.smartupdate.redfish.BaselineRun;
import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.DeployEvent;
import io.smartupdate.redfish.DeployListener;
import io.smartupdate.redfish.DeployOptions;
import io.smartupdate.redfish.RebootPolicy;
import io.smartupdate.redfish.Deployer;
import io.smartupdate.redfish.Rollout;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.redfish.Step;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * {@code smartupdate deploy}: drives BMCs over Redfish to pull an image from this server, follows
 * them to the end and proves the fetch. Exit 0 when every BMC finished, 1 when any failed, 2 for
 * a usage error.
 *
 * <pre>
 * SMARTUPDATE_BMC_PASSWORD=... smartupdate deploy --bmc 10.0.0.5 --user admin --image hpe/ilo5_310.bin --bmc-ca bmc-ca.pem
 * SMARTUPDATE_BMC_PASSWORD=... smartupdate deploy --bmc 10.0.0.5 --user admin --baseline gen10 --bmc-ca bmc-ca.pem --dry-run
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

  @Option(names = {"/image", "--image"}, paramLabel = "PATH", description = "the image, as a path in the repository (e.g. hpe/ilo5_310.bin); without it, the baseline's plan")
  String image;

  @Option(names = {"/baseline", "--baseline"}, paramLabel = "NAME", description = "without --image: the baseline each node is analysed and planned against (default: default)")
  String baseline;

  @Option(names = {"/downgrade", "--downgrade"}, description = "without --image: newer installed versions are replaced by the baseline's")
  boolean downgrade;

  @Option(names = {"/rewrite", "--rewrite"}, description = "without --image: components already at the baseline's version are flashed again")
  boolean rewrite;

  @Option(names = {"/inputfile", "--input"}, paramLabel = "FILE", description = "a SUM-style input file in YAML: targets, credentials (passwordFile), baseline, options; the command line wins")
  Path input;

  @Option(names = {"/reboot", "--reboot"}, paramLabel = "never|if-needed|always", description = "without --image: host reboots for components that need one (default: if-needed)")
  String reboot = "if-needed";

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

  @Option(names = {"/lease", "--lease"}, paramLabel = "S", description = "seconds the run stays this process's without a renewal "
      + "(renewed every third of it); after that, deploy --resume on any node may take it over (default: 30)")
  int lease = (int) Deployer.DEFAULT_LEASE.toSeconds();

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
    if (input != null) applyInput(self);
    List<Bmc> targetsToDeploy = bmcOptions.bmcs(self);
    DeployOptions checked = options(self, true); // the command line is checked before a server is looked for; null: --resume's run, later
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
          image = api.runs().image(resume);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(self, e.getMessage(), e, null, resume);
        }
      }
      DeployOptions options = checked != null ? checked : options(self, false);
      Map<String, List<Step>> plans = Map.of();
      List<BmcResult> unrunnable = List.of();
      BaselineRun baselineRun = null;
      if (options.image() == null && resume == null) {
        // The fingerprint is read before the plan: a baseline changed in between makes a resume refuse, never pass.
        baselineRun = baselineRun(self, api);
        List<BaselinePlans.Node> nodes = plan(self, api, targetsToDeploy);
        boolean blocked = nodes.stream().anyMatch(n -> n.failure() != null || n.plan().isBlocked());
        if (dryRun || nodes.stream().noneMatch(BaselinePlans.Node::runnable)) {
          out.print(BaselinePlans.render(nodes, baselineName(), RebootPolicy.parse(reboot)));
          out.flush();
          return blocked ? ExitCodes.FAILURE : ExitCodes.OK;
        }
        plans = BaselinePlans.steps(nodes);
        unrunnable = BaselinePlans.unrunnable(nodes); // not run, but reported and counted in the exit status
        targetsToDeploy = nodes.stream().filter(BaselinePlans.Node::runnable).map(BaselinePlans.Node::bmc).toList();
        log.info("deploying baseline {} to {} BMCs through {}", baselineName(), targetsToDeploy.size(), api.api());
      } else if (options.image() == null) {
        log.info("resuming baseline run {} on {} BMCs through {}", resume, targetsToDeploy.size(), api.api());
      } else {
        try {
          api.requireImage(options.image());
        } catch (IllegalArgumentException e) {
          throw new ParameterException(self, e.getMessage(), e, null, options.image());
        }
        log.info("deploying {} to {} BMCs through {}", options.image(), targetsToDeploy.size(), api.api());
      }
      DeployProgress.Mode mode = json ? DeployProgress.Mode.JSON : silent ? DeployProgress.Mode.QUIET
          : out == System.out && System.console() != null ? DeployProgress.Mode.TERMINAL : DeployProgress.Mode.PLAIN;
      List<BmcResult> results;
      try (DeployProgress progress = DeployProgress.create(mode, out)) {
        DeployListener listener = new DeployListener() {
          @Override
          public void event(DeployEvent event) {
            progress.event(event);
          }

          @Override
          public void recorded(String id) {
            // Said first, not last: after a crash this id is what deploy --resume needs.
            if (!silent && !json) err.println("smartupdate: run " + id + (resume != null ? " resumed" : "") + " (deploy --resume " + id + " continues it)");
          }
        };
        Deployer deployer = new Deployer(api, bmcTls, options, listener, Duration.ofSeconds(lease));
        try (Interrupts interrupts = Interrupts.install(deployer, err)) {
          if (resume != null) {
            try {
              results = deployer.resume(resume, targetsToDeploy);
            } catch (IllegalArgumentException refused) {
              // Refused before any BMC was touched: what changed, or who holds the run.
              err.println("smartupdate: " + refused.getMessage());
              return ExitCodes.CONFIG;
            }
          } else {
            results = deployer.run(targetsToDeploy, plans, baselineRun);
          }
        }
        if (!unrunnable.isEmpty()) results = Stream.concat(results.stream(), unrunnable.stream()).toList();
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

  /** The options checked; null {@code beforeServer} with --resume and no --image (the run's image, or its baseline, is read first). */
  private DeployOptions options(CommandLine self, boolean beforeServer) {
    if (image != null && image.isBlank()) throw new ParameterException(self, "--image is empty: pass --image PATH-IN-REPO (e.g. hpe/ilo5_310.bin), or leave it out to deploy a baseline");
    if (image != null && (baseline != null || downgrade || rewrite)) {
      throw new ParameterException(self, "--image deploys one image; --baseline, --downgrade and --rewrite plan a baseline: give one or the other");
    }
    if (baseline != null && !baseline.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new ParameterException(self, "invalid value for --baseline: '" + baseline + "' (a baseline's name)");
    }
    try {
      RebootPolicy.parse(reboot);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, e.getMessage());
    }
    if (resume != null && dryRun) throw new ParameterException(self, "--resume continues a run: it cannot be a --dry-run");
    if (image == null && resume != null && beforeServer) return null;
    if (lease < 3 || lease > 3600) throw new ParameterException(self, "invalid value for --lease: " + lease + " (expected seconds, 3 to 3600)");
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
        .withRollout(new Rollout(canary, maxFailures)).withReboot(RebootPolicy.parse(reboot));
  }

  /** Fills what the command line left unset from --input; an unreadable file or an inline password is a usage error naming its line. */
  private void applyInput(CommandLine self) {
    InputFile file;
    try {
      file = InputFile.read(input);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, e.getMessage());
    }
    if (bmcOptions.bmcs.isEmpty() && bmcOptions.bmcFile == null) bmcOptions.bmcs.addAll(file.targets());
    if (bmcOptions.targetType == null) bmcOptions.targetType = file.targetType();
    if (bmcOptions.user == null) bmcOptions.user = file.credentials().user();
    if (bmcOptions.passwordFile == null) bmcOptions.passwordFile = file.credentials().passwordFile();
    if (bmcOptions.bmcCa == null && !bmcOptions.insecureBmc) bmcOptions.bmcCa = file.bmcCa();
    if (baseline == null && image == null) baseline = file.baseline();
    InputFile.Options o = file.options();
    downgrade |= o.downgrade();
    rewrite |= o.rewrite();
    dryRun |= o.dryRun();
    if (o.reboot() != null && "if-needed".equals(reboot)) reboot = o.reboot();
    if (o.canary() != null && canary == 0) canary = o.canary();
    if (o.maxFailures() != null && maxFailures == 0) maxFailures = o.maxFailures();
    if (o.parallel() != null && bmcOptions.parallel == 16) bmcOptions.parallel = o.parallel();
  }

  /** The baseline as the run starts, with the options that plan it: what a resume compares. */
  private BaselineRun baselineRun(CommandLine self, ServerApi api) {
    requireBaseline(self, api);
    try {
      return BaselinePlans.recorded(api, baselineName(), Map.of("downgrade", downgrade, "rewrite", rewrite, "reboot", reboot));
    } catch (IOException e) {
      throw new StartupException("baseline " + baselineName() + ": the server at " + api.api() + " says " + e.getMessage());
    }
  }

  private String baselineName() {
    return baseline == null ? Baseline.DEFAULT : baseline;
  }

  private void requireBaseline(CommandLine self, ServerApi api) {
    try {
      api.requireBaseline(baselineName());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, e.getMessage(), e, null, baselineName());
    }
  }

  /** Each node analysed against the baseline and planned; a baseline the server lacks is a usage error naming it. */
  private List<BaselinePlans.Node> plan(CommandLine self, ServerApi api, List<Bmc> bmcs) throws InterruptedException {
    requireBaseline(self, api);
    try {
      return BaselinePlans.plan(api, bmcs, BaselinePlans.scan(bmcOptions.tls(self), timeout, bmcOptions.parallel(self)), baselineName(),
          new Analyzer.Options(downgrade, rewrite));
    } catch (IOException e) {
      throw new StartupException("baseline " + baselineName() + ": the server at " + api.api() + " says " + e.getMessage());
    }
  }
}
