package io.smartupdate.cli;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the paths no option names live. A tarball keeps them beside the launcher (the
 * installation directory, {@code -Dsmartupdate.home}); an installed layout (the .deb:
 * /var/lib/smartupdate, /var/log/smartupdate) names each in {@code -Dsmartupdate.<name>}.
 */
final class InstallLayout {
  private final Path home;

  InstallLayout(Path home) {
    this.home = Objects.requireNonNull(home, "home == null");
  }

  /** The layout the launcher describes (the current directory when run without it). */
  static InstallLayout current() {
    return new InstallLayout(Path.of(System.getProperty("smartupdate.home", ".")));
  }

  Path repo(Path given) {
    return absolute(given, installed("repo", home.resolve("firmware-samples")));
  }

  Path certs(Path given) {
    return absolute(given, installed("certs", home.resolve("certs")));
  }

  Path data(Path given) {
    return absolute(given, installed("data", home.resolve("data")));
  }

  /** Logs: {@code given}, else the installed log directory, else {@code dataDir}/logs. */
  Path logDir(Path given, Path dataDir) {
    return given != null ? given.toAbsolutePath() : installed("logdir", dataDir.resolve("logs"));
  }

  private static Path installed(String name, Path fallback) {
    String path = System.getProperty("smartupdate." + name);
    return path == null || path.isBlank() ? fallback : Path.of(path);
  }

  /** A given path is relative to the current directory; a default one to the installation. */
  private static Path absolute(Path given, Path fallback) {
    return (given != null ? given : fallback).toAbsolutePath().normalize();
  }
}
