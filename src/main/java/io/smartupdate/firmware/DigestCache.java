package io.smartupdate.firmware;

import io.smartupdate.core.AtomicFiles;
import io.smartupdate.core.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 of each file version, computed once on a background thread (never on a request path)
 * and kept in {@code data/firmware-sha256.tsv} so a restart does not rehash gigabytes.
 */
final class DigestCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DigestCache.class);
  private static final String FILE_NAME = "firmware-sha256.tsv";

  private record Entry(ImageVersion version, String sha256) {}

  private final Path root;
  private final Path file;
  private final Map<String, Entry> known = new ConcurrentHashMap<>();
  private final Map<ImageVersion, CompletableFuture<String>> running = new ConcurrentHashMap<>();
  // Hashing yields to serving.
  private final ExecutorService hasher =
      Executors.newSingleThreadExecutor(Threads.daemon("sha256-hasher", Thread.NORM_PRIORITY - 1));
  private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(Threads.daemon("sha256-cache-writer"));
  private final AtomicBoolean saveScheduled = new AtomicBoolean();

  DigestCache(Path root, Path dataDir) {
    this.root = root;
    this.file = dataDir.resolve(FILE_NAME);
    load();
  }

  /** The digest if this exact version was hashed before. */
  String known(ImageVersion version) {
    Entry entry = known.get(version.path());
    return entry != null && entry.version().sameAs(version) ? entry.sha256() : null;
  }

  /** The digest of this version, hashing it in the background if it is new. */
  CompletableFuture<String> sha256(ImageVersion version) {
    String sha = known(version);
    if (sha != null) return CompletableFuture.completedFuture(sha);
    return running.computeIfAbsent(version, v -> {
      CompletableFuture<String> future = CompletableFuture.supplyAsync(() -> hash(v), hasher);
      future.whenComplete((r, e) -> running.remove(v));
      return future;
    });
  }

  /** Drops entries for files that are gone, so the cache does not grow forever. */
  void retainOnly(Set<String> paths) {
    if (known.keySet().retainAll(paths)) scheduleSave();
  }

  private String hash(ImageVersion version) {
    Path path = root.resolve(version.path());
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        while (channel.read(buffer) >= 0) {
          buffer.flip();
          digest.update(buffer);
          buffer.clear();
        }
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      ImageVersion after = ImageVersion.of(version.path(), path);
      if (!after.sameAs(version)) {
        throw new IllegalStateException(version.path() + " changed while it was being hashed");
      }
      known.put(version.path(), new Entry(version, sha));
      scheduleSave();
      return sha;
    } catch (IOException e) {
      throw new IllegalStateException("cannot hash " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void scheduleSave() {
    if (saveScheduled.compareAndSet(false, true)) saver.schedule(this::save, 500, TimeUnit.MILLISECONDS);
  }

  private void save() {
    saveScheduled.set(false);
    List<String> lines = new ArrayList<>();
    for (Entry e : known.values()) {
      ImageVersion v = e.version();
      lines.add(String.join("\t", e.sha256(), Long.toString(v.size()), Long.toString(v.mtimeNanos()),
          Long.toString(v.ctimeNanos()), Long.toString(v.inode()), Long.toString(v.device()), v.path()));
    }
    try {
      AtomicFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      log.warn("cannot write the digest cache {}: {} (digests will be recomputed after a restart)", file, e.toString());
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) return;
    try (InputStream in = Files.newInputStream(file)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split("\t", 7);
        if (f.length != 7 || f[0].length() != 64) continue;
        ImageVersion v = new ImageVersion(f[6], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
            Long.parseLong(f[4]), Long.parseLong(f[5]));
        known.put(v.path(), new Entry(v, f[0]));
      }
      log.debug("loaded {} cached digests from {}", known.size(), file);
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable digest cache {}: {}", file, e.toString());
      known.clear();
    }
  }

  @Override
  public void close() {
    hasher.shutdownNow();
    saver.shutdownNow();
    if (saveScheduled.get()) save();
  }
}
