package io.smartupdate.cli;

import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The directory options every command that starts or reads a server's files shares: /repo /certs /data /logdir. */
final class PathOptions {
  @Option(names = {"/repo", "--repo"}, paramLabel = "DIR", description = "firmware repository (default: firmware-samples)")
  Path repo;

  @Option(names = {"/certs", "--certs"}, paramLabel = "DIR", description = "TLS material, generated if absent (default: certs)")
  Path certs;

  @Option(names = {"/data", "--data"}, paramLabel = "DIR", description = "status database, write token, caches, logs (default: data)")
  Path data;

  @Option(names = {"/logdir", "--logdir"}, paramLabel = "DIR", description = "log files (default: DATA/logs)")
  Path logdir;

  /** The four directories, absolute. */
  record Paths(Path repo, Path certs, Path data, Path logDir) {
    Paths {
      Objects.requireNonNull(repo, "repo == null");
      Objects.requireNonNull(certs, "certs == null");
      Objects.requireNonNull(data, "data == null");
      Objects.requireNonNull(logDir, "logDir == null");
    }
  }

  /** The directories given, or {@code layout}'s defaults for those not given. */
  Paths resolve(InstallLayout layout) {
    Path dataDir = layout.data(data);
    return new Paths(layout.repo(repo), layout.certs(certs), dataDir, layout.logDir(logdir, dataDir));
  }

  /** As {@link #resolve(InstallLayout)}, in the layout the launcher describes. */
  Paths resolve() {
    return resolve(InstallLayout.current());
  }
}
