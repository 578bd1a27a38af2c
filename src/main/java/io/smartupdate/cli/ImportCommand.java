package io.smartupdate.cli;

import io.smartupdate.imports.ImportException;
import io.smartupdate.imports.ImportResult;
import io.smartupdate.imports.Importer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code smartupdate import}: vendor catalogs and packages into the repository manifest. Exit 0
 * when imported, 1 when an input is refused (tampered file, hostile or broken catalog; nothing
 * written), 2 for a usage error.
 *
 * <pre>
 * smartupdate import --repo /srv/firmware /srv/firmware/dell/Catalog.xml
 * smartupdate import /repo /srv/firmware /baseline gen11 /srv/firmware/hpe/U46_2.90_03_15_2026.fwpkg
 * </pre>
 */
@Command(name = "import", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Import vendor catalogs into the repository manifest (baseline.json, or baselines/NAME.json):",
        "Dell Catalog.xml, HPE .fwpkg packages, HPE SPP fwrepodata/fwrepo.json. Files the catalog names must be",
        "in the repository; each is checked against the catalog's digest, and the manifest is written atomically."},
    footer = {"", "Examples:", "  smartupdate import --repo /srv/firmware /srv/firmware/Catalog.xml",
        "  smartupdate import /repo /srv/firmware /baseline gen11 /srv/firmware/hpe/*.fwpkg"})
final class ImportCommand implements CliCommand {
  @Option(names = {"/repo", "--repo"}, paramLabel = "DIR", description = "the firmware repository (default: firmware-samples)")
  Path repo;

  @Option(names = {"/baseline", "--baseline"}, paramLabel = "NAME",
      description = "merge into baselines/NAME.json instead of baseline.json")
  String baseline;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Catalog.xml, *.fwpkg or fwrepo.json")
  List<Path> files = List.of();

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    if (files.isEmpty()) throw new CommandLine.ParameterException(self, "import needs at least one FILE (Catalog.xml, *.fwpkg, fwrepo.json)");
    Path dir = InstallLayout.current().repo(repo);
    try {
      ImportResult r = Importer.run(dir, baseline, files);
      out.printf("imported %d components into %s (%d new, %d replaced)%n", r.added() + r.replaced(), r.manifest(), r.added(), r.replaced());
      if (r.absent() > 0)
        out.printf("skipped %d catalog entries whose file is not in the repository, e.g. %s%n", r.absent(), String.join(", ", r.absentExamples()));
      if (r.notFirmware() > 0) out.printf("skipped %d catalog entries that are not firmware (drivers, applications)%n", r.notFirmware());
      return 0;
    } catch (ImportException e) {
      err.println("smartupdate import: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }
}
