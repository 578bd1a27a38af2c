package io.smartupdate.firmware;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.ManifestException;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.Problem;
import io.smartupdate.core.StartupException;
import io.smartupdate.objectstore.Arrival;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The served directory: safe lookups, consistent opens, a walk for the catalog, cached digests. */
public final class FirmwareRepository implements Lifecycle, ImageSource {
  private static final Logger log = LoggerFactory.getLogger(FirmwareRepository.class);

  private static final long PLAIN_DIRECTORY_NANOS = 2_000_000_000L;

  private final Path root;
  private final DigestCache digests;
  private final Map<Path, Long> plainDirectories = new ConcurrentHashMap<>();
  /** Raw URL tails already checked by {@link SafePath} and resolved: the same few paths are asked for again and again. */
  private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
  private static final int MAX_RESOLVED = 10_000;
  private final SmallImages small = new SmallImages();
  private RepositoryManifest manifest;
  private static final long HEALTH_MEMO_NANOS = 1_000_000_000L;

  private record HealthMemo(long at, Map<String, Object> health) {}

  private volatile HealthMemo healthMemo;

  private FirmwareRepository(Path root, DigestCache digests) {
    this.root = root;
    this.digests = digests;
  }

  /** Opens {@code repo} (must be a readable directory) and starts hashing what is not cached yet. */
  public static FirmwareRepository open(Path repo, Path dataDir) {
    Path root = RepositoryPolicy.realRoot(repo);
    FirmwareRepository repository = new FirmwareRepository(root, new DigestCache(root, dataDir));
    List<ImageVersion> images = repository.scan();
    images.forEach(repository.digests::sha256);
    try {
      repository.manifest = RepositoryManifest.load(root, images);
    } catch (ManifestException e) {
      repository.close();
      throw new StartupException(e.getMessage(), e); // the operator's manifest: a configuration to fix
    } catch (RuntimeException e) {
      repository.close();
      throw e;
    }
    log.info("serving {} images from {}", images.size(), root);
    return repository;
  }

  /**
   * An open image: the channel (the caller's to close), the version it holds and the file it was
   * opened from, which tells whether the file is later rewritten in place. A small image may come
   * with all its {@code bytes} instead; then {@code channel} is null when it was not opened at all.
   * {@code release} runs at the close (a bucket cache unpins its copy); null when there is nothing to release.
   * {@code arrival} is non-null while the image still arrives from a bucket: only what it says has
   * arrived may be read.
   */
  record OpenImage(FileChannel channel, ImageVersion version, Path file, ByteBuffer bytes, Runnable release, Arrival arrival) {
    OpenImage(FileChannel channel, ImageVersion version, Path file, ByteBuffer bytes) {
      this(channel, version, file, bytes, null, null);
    }

    /** Closes the channel, if there is one, and releases what the open held. */
    void close() throws IOException {
      try {
        if (channel != null) channel.close();
      } finally {
        if (release != null) release.run();
      }
    }

    /** Whether the bytes behind {@link #channel} changed since the open (a rename over the file is fine). */
    boolean rewrittenInPlace() {
      return version.rewrittenIn(file);
    }
  }

  /**
   * Resolves a raw URL tail to a regular file inside the repository and opens it, or throws
   * bad input or not found; a file being replaced right now is {@link Problem.Changed}.
   */
  @Override
  public OpenImage open(String rawTail) throws IOException {
    Resolved path = resolve(rawTail);
    String relative = path.relative();
    Path candidate = path.candidate();
    ImageVersion seen = null;
    Path file = candidate;
    try {
      seen = ImageVersion.ofRegularFile(relative, candidate);
    } catch (IOException e) {
      throw notFound(relative);
    }
    // The common case (a plain file in directories without symlinks) costs one lstat: directories
    // are checked with realpath once and then trusted for a couple of seconds.
    if (seen == null || !directoryIsPlain(path.parent())) {
      seen = null;
      file = realFile(relative, candidate);
    } else {
      ByteBuffer bytes = small.get(seen);
      if (bytes != null) return new OpenImage(null, seen, file, bytes);
    }
    OpenImage image = openConsistent(relative, file, seen);
    if (seen == null || image.version().size() > SmallImages.MAX_SIZE) return image;
    Path opened = file;
    try {
      ByteBuffer bytes = small.fill(image.channel(), image.version(), () -> ImageVersion.ofRegularFile(relative, opened));
      return bytes == null ? image : new OpenImage(image.channel(), image.version(), file, bytes);
    } catch (IOException | RuntimeException e) {
      image.close();
      throw e;
    }
  }

  /** A raw tail decoded and checked ({@link SafePath}), and where it would be: a pure function of the text, so kept. */
  private record Resolved(String relative, Path candidate, Path parent) {}

  private Resolved resolve(String rawTail) {
    Resolved known = resolved.get(rawTail);
    if (known != null) return known;
    String relative = SafePath.decode(rawTail);
    Path candidate = root.resolve(relative);
    Resolved fresh = new Resolved(relative, candidate, candidate.getParent());
    if (resolved.size() >= MAX_RESOLVED) resolved.clear();
    resolved.put(rawTail, fresh);
    return fresh;
  }

  private Path realFile(String relative, Path candidate) {
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw notFound(relative);
    }
    if (!RepositoryPolicy.contains(root, real)) {
      log.debug("refused {}: it resolves outside the repository or into a hidden place", relative);
      throw new Problem.NotFound("no image at " + relative);
    }
    if (!Files.isRegularFile(real)) throw new Problem.NotFound("no image at " + relative + " (no directory listings)");
    return real;
  }

  private static Problem.NotFound notFound(String relative) {
    return new Problem.NotFound("no image at " + relative + "; GET /api/catalog lists the images");
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
  private static OpenImage openConsistent(String relative, Path file, ImageVersion seen) throws IOException {
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
      if (after.sameAs(before)) return new OpenImage(channel, after, file, null);
      channel.close();
    }
    throw new Problem.Changed("changing", relative + " is being replaced right now; retry in a moment");
  }

  /** The digest if this version was hashed already; otherwise null, and hashing starts in the background. */
  @Override
  public String digestOrStartHashing(ImageVersion version) {
    String sha = digests.known(version);
    if (sha == null) digests.sha256(version);
    return sha;
  }

  @Override
  public CompletableFuture<String> digest(ImageVersion version) {
    return digests.sha256(version);
  }

  /** The manifests, re-read when {@code scanned} (a fresh {@link #scan}) shows one changed. */
  @Override
  public RepositoryManifest manifest() {
    return manifest;
  }

  /**
   * The baseline {@code name} as offered: its components whose file is known not to be them (sha-256
   * or size differ, file gone) are left out; a file still being hashed is offered. Empty when the
   * repository has no such baseline.
   */
  public Optional<Baseline> baseline(String name) {
    return ImageSource.baseline(this, name);
  }

  /** What {@code /health} says of the manifest (see {@link ImageSource#manifestHealth}); null without a manifest. */
  public Map<String, Object> manifestHealth() {
    // /health is polled by load balancers: one walk of the repository a second serves them all.
    long now = System.nanoTime();
    HealthMemo memo = healthMemo;
    if (memo != null && now - memo.at() < HEALTH_MEMO_NANOS) return memo.health();
    Map<String, Object> health = ImageSource.manifestHealth(this);
    healthMemo = new HealthMemo(now, health);
    return health;
  }

  /** Every servable image, sorted by path; hidden files and symlinks leaving the repository are skipped. */
  @Override
  public List<ImageVersion> scan() {
    List<ImageVersion> images = new ArrayList<>();
    try {
      Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && !RepositoryPolicy.visible(dir.getFileName().toString())
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String relative = root.relativize(file).toString();
          if (!RepositoryPolicy.visiblePath(relative)) return FileVisitResult.CONTINUE;
          try {
            if (attrs.isSymbolicLink()) {
              Path real = file.toRealPath();
              if (!RepositoryPolicy.contains(root, real) || !Files.isRegularFile(real)) return FileVisitResult.CONTINUE;
              images.add(ImageVersion.of(relative, real));
            } else if (attrs.isRegularFile()) {
              images.add(ImageVersion.of(relative, file));
            }
          } catch (NoSuchFileException e) {
            // removed while we walked
          } catch (FileSystemException e) {
            // a symlink loop or an unreadable link: not servable, and no reason to fail the whole listing
            log.debug("skipping {}: {}", relative, e.toString());
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

  @Override
  public void close() {
    digests.close();
  }
}
