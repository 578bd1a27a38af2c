package io.smartupdate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.core.AtomicFiles;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.report.DeployRun;
import io.smartupdate.report.Format;
import io.smartupdate.report.Report;
import io.smartupdate.report.Reports;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code smartupdate report} (SUM's generatereports): the fleet's inventory, its compliance with a
 * baseline (the deploy preview) or one deploy run's results, from the running server, as HTML, CSV,
 * JSON or JUnit XML. Exit 0 when written, 1 when the server refuses or the file cannot be written,
 * 2 for a usage error.
 *
 * <pre>
 * smartupdate report compliance --baseline gen10 --output compliance.html
 * smartupdate report deploy 42 --format junit --output deploy-42.xml
 * </pre>
 */
@Command(name = "report", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Write a report from the running server: inventory (what each node has), compliance (what a baseline",
        "needs, the deploy preview) or deploy RUN (how a deploy run went), as html, csv, json or junit XML."})
final class ReportCommand implements CliCommand {
  private static final TypeReference<List<NodeInventory>> NODES = new TypeReference<>() {};
  private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {};

  @Mixin PortOptions ports = new PortOptions();

  @Mixin PathOptions paths = new PathOptions();

  @Parameters(index = "0", paramLabel = "KIND", description = "inventory, compliance or deploy")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "RUN", description = "the deploy run's id (deploy only; GET /api/deploys lists them)")
  String run;

  @Option(names = {"/format", "--format"}, paramLabel = "F", description = "html (default), csv, json or junit")
  String format = "html";

  @Option(names = {"/output", "--output"}, paramLabel = "FILE", description = "write the report to FILE (default: standard output)")
  Path output;

  @Option(names = {"/baseline", "--baseline"}, paramLabel = "NAME", description = "compliance only: the baseline (default: default, baseline.json)")
  String baseline;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  /** The report's time stamp; tests fix it. */
  Clock clock = Clock.systemUTC();

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    PathOptions.Paths dirs = paths.resolve();
    Format chosen = checked(self);
    // As analyze does: the server on --port, else one started here on --repo and --data for the time of the report.
    Logging.configureOrRefuse(dirs.logDir(), true, "report");
    try (ServerSource.Connection server = ServerSource.connect(ports, null, dirs, "report", ready -> {})) {
      String text = chosen.render(report(server.api));
      if (output == null) {
        out.print(text);
        out.flush();
      } else {
        write(output, text);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("smartupdate: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private Format checked(CommandLine self) {
    kind = kind.toLowerCase(Locale.ROOT);
    if (!List.of("inventory", "compliance", "deploy").contains(kind)) {
      throw new ParameterException(self, "invalid value for KIND: '" + kind + "' (inventory, compliance or deploy)");
    }
    if (kind.equals("deploy") && run == null) throw new ParameterException(self, "report deploy needs the run's id: report deploy RUN (GET /api/deploys lists them)");
    if (!kind.equals("deploy") && run != null) throw new ParameterException(self, "unexpected argument '" + run + "': only report deploy takes a RUN");
    if (run != null && !run.matches("[A-Za-z0-9._-]{1,128}")) throw new ParameterException(self, "invalid value for RUN: '" + run + "' (a deploy run's id)");
    if (baseline != null && !kind.equals("compliance")) throw new ParameterException(self, "--baseline is for report compliance only");
    if (baseline != null && !baseline.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new ParameterException(self, "invalid value for --baseline: '" + baseline + "' (a baseline's name)");
    }
    try {
      return Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, "invalid value for --format: " + e.getMessage());
    }
  }

  private Report report(ServerApi api) throws IOException {
    return switch (kind) {
      case "inventory" -> Reports.inventory(Json.MAPPER.convertValue(api.read("/api/inventory").path("nodes"), NODES), clock.instant());
      case "compliance" -> {
        String name = baseline == null ? Baseline.DEFAULT : baseline;
        JsonNode body = api.read("/api/compliance?baseline=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        yield Reports.compliance(name, Json.MAPPER.convertValue(body.path("rows"), FINDINGS), clock.instant());
      }
      default -> Reports.deploy(Json.MAPPER.treeToValue(api.read("/api/deploys/" + run), DeployRun.class), clock.instant());
    };
  }

  /** Writes beside the target, then renames: a reader never sees half a report. */
  private static void write(Path file, String text) throws IOException {
    try {
      AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    } catch (IOException e) {
      throw new IOException("cannot write --output " + file + ": " + e, e);
    }
  }
}
