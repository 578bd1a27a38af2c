package io.smartupdate.ftp;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The FTP view's path rules, free of IO. A client names files by virtual paths ({@code /},
 * {@code /sub/bios.bin}) that are normalised here and can never climb above the repository root;
 * what a client may then see is {@link io.smartupdate.firmware.RepositoryPolicy}'s to say.
 */
final class RepoPaths {
  static final String ROOT = "/";
  // Far above any firmware path; keeps a hostile argument from costing more than a glance.
  private static final int MAX_LENGTH = 4096;

  private RepoPaths() {}

  /**
   * Resolves {@code argument} against the normalised working directory {@code cwd}: absolute or
   * relative, {@code ~} for the root, {@code \} as a separator (Windows clients). Returns null for
   * a path that climbs above the root or holds control characters: refused, not clamped, so a
   * client is told plainly that {@code ..} at the root leads nowhere.
   */
  static String resolve(String cwd, String argument) {
    if (argument == null || argument.isEmpty()) return cwd;
    if (argument.length() > MAX_LENGTH) return null;
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c < 0x20 || c == 0x7f) return null;
    }
    String path = argument.replace('\\', '/');
    boolean absolute = path.startsWith("/");
    if (path.equals("~") || path.startsWith("~/")) {
      path = path.substring(1);
      absolute = true;
    }
    Deque<String> names = new ArrayDeque<>();
    if (!absolute) addAll(names, cwd);
    for (String name : path.split("/")) {
      if (name.isEmpty() || name.equals(".")) continue;
      if (name.equals("..")) {
        if (names.isEmpty()) return null;
        names.removeLast();
      } else {
        names.addLast(name);
      }
    }
    return names.isEmpty() ? ROOT : "/" + String.join("/", names);
  }

  /** The last name of a normalised virtual path; the root is "/". */
  static String name(String virtualPath) {
    return virtualPath.equals(ROOT) ? ROOT : virtualPath.substring(virtualPath.lastIndexOf('/') + 1);
  }

  /** The virtual path of {@code name} inside the directory {@code dir}. */
  static String child(String dir, String name) {
    return dir.equals(ROOT) ? ROOT + name : dir + "/" + name;
  }

  /** {@code argument} as it may appear in a reply or a log line: control characters become '?'. */
  static String printable(String argument) {
    if (argument == null) return "";
    StringBuilder b = new StringBuilder(Math.min(argument.length(), 200));
    for (int i = 0; i < argument.length() && b.length() < 200; i++) {
      char c = argument.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  private static void addAll(Deque<String> names, String cwd) {
    for (String name : cwd.split("/")) {
      if (!name.isEmpty()) names.addLast(name);
    }
  }
}
