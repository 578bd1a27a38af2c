package io.smartupdate.cli;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.redfish.Bmc;
import io.smartupdate.redfish.InventoryScan;
import io.smartupdate.redfish.ServerApi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code smartupdate analyze} (SUM's getneededupdates): reads each BMC's firmware inventory over
 * Redfish, has the server analyse it against a baseline and keep it, and prints what each node
 * needs. Exit 0 when updates are needed, 3 when every node complies, 1 when a node could not be
 * analysed, 2 for a usage error.
 *
 * <pre>
 * SMARTUPDATE_BMC_PASSWORD=... smartupdate analyze --bmc 10.0.0.5 --bmc 10.0.0.6 --user admin --bmc-ca bmc-ca.pem --baseline gen10
 * </pre>
 */
@Command(name = "analyze", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Read BMCs' firmware inventory over Redfish and say, per node and component, what a baseline needs:",
        "update, up-to-date, downgrade, rewrite, blocked, not-applicable or unknown. The server keeps each node's inventory."})
final class AnalyzeCommand implements CliCommand {
  static final int EXIT_COMPLIES = 3;

  @Mixin PortOptions ports = new PortOptions();

  @Mixin BmcOptions bmcOptions = new BmcOptions();

  @Mixin PathOptions paths = new PathOptions();

  @Option(names = {"/baseline", "--baseline"}, paramLabel = "NAME", description = "the baseline (default: default, the repository's baseline.json)")
  String baseline = Baseline.DEFAULT;

  @Option(names = {"/downgrade", "--downgrade"}, description = "newer installed versions are to be replaced by the baseline's")
  boolean downgrade;

  @Option(names = {"/rewrite", "--rewrite"}, description = "components already at the baseline's version are to be flashed again")
  boolean rewrite;

  @Option(names = {"/timeout", "--timeout"}, paramLabel = "S", description = "seconds for one BMC answer (default: 60)")
  int timeout = 60;

  @Option(names = {"/json", "--json"}, description = "one JSON document: every node with its findings or its failure")
  boolean json;

  @Option(names = {"/csv", "--csv"}, description = "CSV: node,component,name,installed,available,action,reason")
  boolean csv;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    PathOptions.Paths dirs = paths.resolve();
    Path dataDir = dirs.data();
    Path logDir = dirs.logDir();
    List<Bmc> bmcs = bmcOptions.bmcs(self);
    SSLContext tls = bmcOptions.tls(self);
    int parallel = bmcOptions.parallel(self);
    if (json && csv) throw new ParameterException(self, "--json and --csv exclude each other: choose one");
    if (timeout < 1) throw new ParameterException(self, "invalid value for --timeout: " + timeout + " (expected seconds, 1 or more)");
    if (!baseline.matches("[A-Za-z0-9._-]{1,128}")) throw new ParameterException(self, "invalid value for --baseline: '" + baseline + "' (a baseline's name)");
    Logging.configureOrRefuse(logDir, true, "analyze");
    Logger log = LoggerFactory.getLogger(AnalyzeCommand.class);
    if (bmcOptions.insecureBmc) err.println("smartupdate: warning: --insecure-bmc: BMC certificates are not verified");
    try (ServerSource.Connection server = ServerSource.connect(ports, null, dirs, "analyze", ready -> {
      if (!json && !csv) err.println("smartupdate: no server was running; started one here: " + ready);
    })) {
      ServerApi api = server.api;
      try {
        api.requireBaseline(baseline);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(self, e.getMessage(), e, null, baseline);
      }
      log.info("analyzing {} BMCs against baseline {} through {}", bmcs.size(), baseline, api.api());
      List<NodeAnalysis> analyses = new ArrayList<>();
      InventoryScan scan = new InventoryScan(tls, Duration.ofSeconds(timeout), parallel, Clock.systemUTC());
      for (InventoryScan.Outcome outcome : scan.run(bmcs, o -> {})) analyses.add(NodeAnalysis.of(outcome, api, baseline, downgrade, rewrite));
      AnalysisOutput.Format format = json ? AnalysisOutput.Format.JSON : csv ? AnalysisOutput.Format.CSV : AnalysisOutput.Format.TABLE;
      out.print(AnalysisOutput.render(analyses, format, baseline, downgrade));
      out.flush();
      if (analyses.stream().anyMatch(a -> a.failure() != null)) return ExitCodes.FAILURE;
      return analyses.stream().allMatch(a -> a.complies(downgrade)) ? EXIT_COMPLIES : ExitCodes.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILURE;
    }
  }
}
