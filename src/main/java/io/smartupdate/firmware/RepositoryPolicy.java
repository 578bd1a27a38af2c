package io.smartupdate.firmware;

import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What of the repository any client may see, over HTTP and FTP alike: regular files and
 * directories inside the repository's real path, reached without passing a hidden name
 * ({@code .git}, {@code .tmp-upload}), whose names are printable. A symlink may point elsewhere
 * inside the repository, never out of it nor into a hidden place.
 */
public final class RepositoryPolicy {
  private RepositoryPolicy() {}

  /** The repository's real path; else a start-up error naming the directory and the option to fix it. */
  public static Path realRoot(Path repo) {
    Path root;
    try {
      root = repo.toRealPath();
    } catch (IOException e) {
      throw new StartupException("firmware repository " + repo.toAbsolutePath() + " does not exist; pass /repo DIR");
    }
    if (!Files.isDirectory(root)) {
      throw new StartupException("firmware repository " + root + " is not a directory; pass /repo DIR");
    }
    if (!Files.isReadable(root)) {
      throw new StartupException("firmware repository " + root + " is not readable by this user");
    }
    return root;
  }

  /** Hidden names (a leading dot) do not exist for clients. */
  public static boolean hidden(String name) {
    return name.startsWith(".");
  }

  /** A name a client can see: not hidden, and no control character, backslash or '%' (which URLs could not name unambiguously). */
  public static boolean visible(String name) {
    if (hidden(name)) return false;
    for (int i = 0; i < name.length(); i++) { // a loop, not a stream: every firmware GET asks
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == '%') return false;
    }
    return true;
  }

  /** Whether every name of a relative path ("a/b.bin") or virtual path ("/a/b.bin") is {@link #visible}. */
  public static boolean visiblePath(String path) {
    for (String name : path.split("/")) {
      if (!name.isEmpty() && !visible(name)) return false;
    }
    return true;
  }

  /** Whether {@code real} (symlinks resolved) lies inside {@code realRoot} without passing through a hidden name. */
  public static boolean contains(Path realRoot, Path real) {
    if (!real.startsWith(realRoot)) return false;
    for (Path name : realRoot.relativize(real)) {
      if (hidden(name.toString())) return false;
    }
    return true;
  }
}
