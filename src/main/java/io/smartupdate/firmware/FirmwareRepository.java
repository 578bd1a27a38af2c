package io.smartupdate.firmware;

import io.smartupdate.http.ApiError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The served directory: safe lookups, consistent opens, a walk for the catalog, cached digests. */
public final class FirmwareRepository implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FirmwareRepository.class);

  private static final long PLAIN_DIRECTORY_NANOS = 2_000_000_000L;

  private final Path root;
  private final DigestCache digests;
  private final Map<Path, Long> plainDirectories = new ConcurrentHashMap<>();

  private FirmwareRepository(Path root, DigestCache digests) {
    this.root = root;
    this.digests = digests;
  }

  /** Opens {@code repo} (must be a readable directory) and starts hashing what is not cached yet. */
  public static FirmwareRepository open(Path repo, Path dataDir) {
    Path root;
    try {
      root = repo.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("firmware repository " + repo.toAbsolutePath() + " does not exist; pass /repo DIR");
    }
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("firmware repository " + root + " is not a directory; pass /repo DIR");
    }
    if (!Files.isReadable(root)) {
      throw new IllegalArgumentException("firmware repository " + root + " is not readable by this user");
    }
    FirmwareRepository repository = new FirmwareRepository(root, new DigestCache(root, dataDir));
    List<ImageVersion> images = repository.scan();
    images.forEach(repository.digests::sha256);
    log.info("serving {} images from {}", images.size(), root);
    return repository;
  }

  public Path root() {
    return root;
  }

  /** An open file and the version it holds; the channel is the caller's to close. */
  record OpenImage(FileChannel channel, ImageVersion version) {}

  /** A request's image: the published relative path, the file behind it, its version when resolved (or null). */
  record Resolved(String relative, Path file, ImageVersion seen) {}

  /**
   * Resolves a raw URL tail to a regular file inside the repository, or throws 400/404. The
   * common case (a plain file in directories without symlinks) costs one lstat: directories are
   * checked with realpath once and then trusted for a couple of seconds.
   */
  Resolved resolve(String rawTail) {
    String relative = SafePath.decode(rawTail);
    Path candidate = root.resolve(relative);
    try {
      ImageVersion plain = ImageVersion.ofRegularFile(relative, candidate);
      if (plain != null && directoryIsPlain(candidate.getParent())) return new Resolved(relative, candidate, plain);
    } catch (IOException e) {
      throw ApiError.notFound("no image at " + relative + "; GET /api/catalog lists the images");
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw ApiError.notFound("no image at " + relative + "; GET /api/catalog lists the images");
    }
    if (!real.startsWith(root)) {
      log.debug("refused {}: it resolves outside the repository", relative);
      throw ApiError.notFound("no image at " + relative);
    }
    if (!Files.isRegularFile(real)) throw ApiError.notFound("no image at " + relative + " (no directory listings)");
    return new Resolved(relative, real, null);
  }

  /** Whether {@code dir} is its own real path (no symlink on the way), remembered briefly. */
  private boolean directoryIsPlain(Path dir) throws IOException {
    long now = System.nanoTime();
    Long until = plainDirectories.get(dir);
    if (until != null && until - now > 0) return true;
    if (!dir.toRealPath().equals(dir)) return false;
    if (plainDirectories.size() > 10_000) plainDirectories.clear();
    plainDirectories.put(dir, now + PLAIN_DIRECTORY_NANOS);
    return true;
  }

  /**
   * Opens the file and reads its version so that the two agree: a file replaced between the
   * stat and the open is detected and the open retried, so one response never mixes versions.
   */
  OpenImage openConsistent(Resolved target) throws IOException {
    String relative = target.relative();
    Path file = target.file();
    ImageVersion seen = target.seen();
    for (int attempt = 0; attempt < 5; attempt++) {
      ImageVersion before = attempt == 0 && seen != null ? seen : ImageVersion.of(relative, file);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      ImageVersion after;
      try {
        after = ImageVersion.of(relative, file);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (after.sameAs(before)) return new OpenImage(channel, after);
      channel.close();
    }
    throw new ApiError(503, "changing", relative + " is being replaced right now; retry in a moment",
        Map.of("Retry-After", "1"));
  }

  /** Whether the file at {@code file} still holds {@code version} (or was swapped for a new inode). */
  boolean modifiedInPlace(Path file, ImageVersion version) {
    try {
      ImageVersion now = ImageVersion.of(version.path(), file);
      return now.inode() == version.inode() && now.device() == version.device() && !now.sameAs(version);
    } catch (IOException e) {
      return false; // deleted or renamed away: the open inode still holds the bytes we sent
    }
  }

  String knownDigest(ImageVersion version) {
    String sha = digests.known(version);
    if (sha == null) digests.sha256(version);
    return sha;
  }

  CompletableFuture<String> digest(ImageVersion version) {
    return digests.sha256(version);
  }

  /** Every servable image, sorted by path; hidden files and symlinks leaving the repository are skipped. */
  List<ImageVersion> scan() {
    List<ImageVersion> images = new ArrayList<>();
    try {
      Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (hidden(file)) return FileVisitResult.CONTINUE;
          String relative = root.relativize(file).toString();
          try {
            if (attrs.isSymbolicLink()) {
              Path real = file.toRealPath();
              if (!real.startsWith(root) || !Files.isRegularFile(real)) return FileVisitResult.CONTINUE;
              images.add(ImageVersion.of(relative, real));
            } else if (attrs.isRegularFile() && printable(relative)) {
              images.add(ImageVersion.of(relative, file));
            }
          } catch (NoSuchFileException e) {
            // removed while we walked
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          log.debug("skipping unreadable {}: {}", file, e.toString());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    images.sort((a, b) -> a.path().compareTo(b.path()));
    Set<String> paths = new HashSet<>();
    for (ImageVersion image : images) paths.add(image.path());
    digests.retainOnly(paths);
    return images;
  }

  private static boolean hidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static boolean printable(String relative) {
    return relative.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\' || c == '%');
  }

  @Override
  public void close() {
    digests.close();
  }
}
