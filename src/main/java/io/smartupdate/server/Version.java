package io.smartupdate.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from a resource Maven filters at build time. */
public final class Version {
  private static final Properties BUILD = load();

  private Version() {}

  public static String get() {
    return value("version");
  }

  /** The git commit the build came from (abbreviated), or "unknown" when it was built outside a git checkout. */
  public static String commit() {
    return value("commit");
  }

  // An unresolved ${...} means Maven had no value for it (no .git: a source tarball).
  private static String value(String name) {
    String value = BUILD.getProperty(name, "");
    return value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/smartupdate-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // "unknown" below
    }
    return p;
  }
}
