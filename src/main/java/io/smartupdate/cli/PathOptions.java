package io.smartupdate.cli;

import io.smartupdate.objectstore.ObjectStoreConfig;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The directory options every command that starts or reads a server's files shares: /repo /certs /data /logdir. */
final class PathOptions {
  @Option(names = {"/repo", "--repo"}, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "firmware repository: a directory "
      + "(default: firmware-samples) or object storage (credentials from the AWS chain: environment, profile, instance role)")
  String repo;

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
    Path directory = repo == null || ObjectStoreConfig.isBucketUrl(repo) ? null : Path.of(repo);
    return new Paths(layout.repo(directory), layout.certs(certs), dataDir, layout.logDir(logdir, dataDir));
  }

  /** The {@code s3://bucket/prefix} given as the repository, or null for a directory. */
  String bucket() {
    return ObjectStoreConfig.isBucketUrl(repo) ? repo : null;
  }

  /** As {@link #resolve(InstallLayout)}, in the layout the launcher describes. */
  Paths resolve() {
    return resolve(InstallLayout.current());
  }
}
