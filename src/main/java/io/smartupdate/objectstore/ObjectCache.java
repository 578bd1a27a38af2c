package io.smartupdate.objectstore;

import io.smartupdate.core.AtomicFiles;
import io.smartupdate.core.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local copies of bucket objects, one file per SHA-256 ({@code CACHE/<sha256>}), under a size
 * cap with least-recently-used eviction. A file being served is pinned and never evicted. A fill
 * writes {@code .fill-*} and renames it to its digest only when complete and synced, so a crash
 * mid-fill leaves only a temporary file, deleted at the next start, never a partial image. A fill
 * runs on a thread of its own; readers follow its bytes as they arrive, and every request for an
 * object being filled joins that one fill. {@code index.tsv} maps object versions to digests.
 */
final class ObjectCache {
  private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);
  static final String INDEX = "index.tsv";
  private static final String FILLING = ".fill-";
  private static final int CHUNK = 256 * 1024;

  /** Opens the bytes of one object version in the bucket. */
  @FunctionalInterface
  interface Fetch {
    InputStream open(StoredObject object) throws IOException;
  }

  /** A cached file in use: {@link #unpin} it when done. */
  record Pinned(String sha256, Path file) {}

  private final Path dir;
  private final long cap;
  private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true); // sha -> size, LRU first; guarded by this
  private final Map<String, Integer> pins = new HashMap<>(); // guarded by this
  private final Map<String, StoredObject> index = new LinkedHashMap<>(); // sha -> the object version it holds; guarded by this
  private final Map<String, Fill> filling = new ConcurrentHashMap<>();
  private final Map<StoredObject, DigestMismatch> mismatched = new ConcurrentHashMap<>();
  private final ExecutorService fillers = Executors.newCachedThreadPool(Threads.daemon("cache-fill"));
  private long total; // guarded by this

  ObjectCache(Path dir, long cap) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.cap = cap;
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listed = Files.list(dir)) {
      for (Path file : (Iterable<Path>) listed::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith(FILLING)) {
          Files.deleteIfExists(file); // a fill a crash cut short
        } else if (name.matches("[0-9a-f]{64}")) {
          files.add(file);
        }
      }
    }
    files.sort(Comparator.comparing(ObjectCache::lastUsed));
    for (Path file : files) {
      long size = Files.size(file);
      entries.put(file.getFileName().toString(), size);
      total += size;
    }
    readIndex();
  }

  private static Instant lastUsed(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** The digest of {@code object} when a copy of that version is cached; null otherwise. */
  synchronized String known(StoredObject object) {
    for (Map.Entry<String, StoredObject> e : index.entrySet()) {
      if (e.getValue().equals(object) && entries.containsKey(e.getKey())) return e.getKey();
    }
    return null;
  }

  /** Every object version with a cached copy (the catalog while the bucket cannot be listed). */
  synchronized List<StoredObject> cachedObjects() {
    List<StoredObject> objects = new ArrayList<>();
    index.forEach((sha, object) -> {
      if (entries.containsKey(sha)) objects.add(object);
    });
    return objects;
  }

  /** Pins the cached copy of {@code object} (and marks it recently used), or returns null when there is none. */
  synchronized Pinned pin(StoredObject object) {
    String sha = known(object);
    if (sha == null) return null;
    entries.get(sha); // access order: now the most recently used
    pins.merge(sha, 1, Integer::sum);
    return new Pinned(sha, dir.resolve(sha));
  }

  synchronized void unpin(String sha) {
    pins.computeIfPresent(sha, (k, n) -> n == 1 ? null : n - 1);
    evict();
  }

  /**
   * The fill of {@code object}: the one running joined, or a new one started on a fill thread.
   * Its bytes can be read as they arrive (see {@link #read}); {@link Fill#awaitDigest} waits for all.
   */
  Fill fill(StoredObject object, Fetch fetch) throws IOException {
    return fill(object, fetch, null, null);
  }

  /**
   * As {@link #fill(StoredObject, Fetch)}, refusing the copy when its SHA-256 is not {@code declared}
   * (null: anything goes); {@code url} names the object in that refusal. A refusal is remembered:
   * see {@link #mismatched}.
   */
  Fill fill(StoredObject object, Fetch fetch, DigestMismatch.Declared declared, String url) throws IOException {
    String key = object.etag() + "|" + object.path();
    Fill mine = new Fill(object, dir.resolve(FILLING + UUID.randomUUID()));
    Fill running = filling.putIfAbsent(key, mine);
    if (running != null) return running;
    try {
      fillers.execute(() -> run(mine, fetch, key, declared, url));
    } catch (RejectedExecutionException e) {
      filling.remove(key, mine);
      throw new IOException("the cache is closed", e);
    }
    return mine;
  }

  /**
   * Makes the caller a reader of a fill still under way (its copy is pinned for it at completion):
   * {@link #leave} when done. False when the fill already completed: pin the cached copy instead.
   */
  synchronized boolean read(Fill fill) {
    if (fill.cached != null) return false;
    fill.readers++;
    return true;
  }

  synchronized void leave(Fill fill) {
    if (fill.cached != null) {
      unpin(fill.cached);
    } else {
      fill.readers--;
    }
  }

  /** The refusal of {@code object}'s last fill when it was declared {@code expected} then as now; null otherwise. */
  DigestMismatch mismatched(StoredObject object, String expected) {
    DigestMismatch m = mismatched.get(object);
    return m != null && m.expected.equals(expected) ? m : null;
  }

  private void run(Fill fill, Fetch fetch, String key, DigestMismatch.Declared declared, String url) {
    try {
      String sha = copy(fill, fetch);
      if (declared != null && !declared.sha256().equals(sha)) {
        DigestMismatch refused = new DigestMismatch(url, declared, sha);
        if (mismatched.size() > 10_000) mismatched.clear();
        mismatched.put(fill.object, refused);
        log.warn("{}", refused.getMessage());
        throw refused;
      }
      try {
        Files.move(fill.file, dir.resolve(sha), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(fill.file, dir.resolve(sha), StandardCopyOption.REPLACE_EXISTING);
      }
      StoredObject object = fill.object;
      synchronized (this) {
        if (entries.put(sha, object.size()) == null) total += object.size();
        index.put(sha, object);
        fill.cached = sha;
        pins.merge(sha, 1 + fill.readers, Integer::sum); // the readers', and one held while evicting so the new copy stays
        try {
          evict();
        } finally {
          pins.computeIfPresent(sha, (k, n) -> n == 1 ? null : n - 1);
        }
        writeIndex();
      }
      log.info("cached {} ({} bytes, sha-256 {})", object.path(), object.size(), sha);
      filling.remove(key, fill); // before the waiters wake, so a request they make next starts afresh
      fill.completed(sha);
    } catch (IOException | RuntimeException e) {
      filling.remove(key, fill);
      fill.failed(e);
    } finally {
      try {
        Files.deleteIfExists(fill.file);
      } catch (IOException e) {
        log.warn("cannot delete the failed fill {}: {}", fill.file, e.toString());
      }
    }
  }

  /**
   * Copies the object into the fill's file, publishing each piece as it is written. The last byte
   * is published only at completion, so a reader never ends a response on bytes not yet checked.
   */
  private static String copy(Fill fill, Fetch fetch) throws IOException {
    MessageDigest sha = sha256();
    long size = fill.object.size();
    try (FileChannel out = FileChannel.open(fill.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
         InputStream in = fetch.open(fill.object)) {
      fill.started();
      byte[] buffer = new byte[CHUNK];
      long copied = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (copied + n > size) break;
        sha.update(buffer, 0, n);
        ByteBuffer piece = ByteBuffer.wrap(buffer, 0, n);
        while (piece.hasRemaining()) out.write(piece);
        copied += n;
        fill.progress(Math.min(copied, size - 1));
      }
      if (copied != size || in.read() >= 0) {
        throw new IOException("the bucket sent " + (copied == size ? "more" : copied) + " bytes of " + fill.object.path()
            + ", not " + size);
      }
      out.force(true);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  void close() {
    fillers.shutdownNow();
  }

  /** Removes least recently used, unpinned copies until the cache fits its cap. */
  private void evict() {
    Iterator<Map.Entry<String, Long>> oldest = entries.entrySet().iterator();
    boolean changed = false;
    while (total > cap && oldest.hasNext()) {
      Map.Entry<String, Long> e = oldest.next();
      if (pins.containsKey(e.getKey())) continue;
      try {
        Files.deleteIfExists(dir.resolve(e.getKey()));
      } catch (IOException failure) {
        log.warn("cannot evict {} from the cache: {}", e.getKey(), failure.toString());
        continue;
      }
      total -= e.getValue();
      index.remove(e.getKey());
      oldest.remove();
      changed = true;
    }
    if (changed) writeIndex();
  }

  synchronized long bytes() {
    return total;
  }

  private void writeIndex() {
    StringBuilder text = new StringBuilder();
    index.forEach((sha, o) -> text.append(sha).append('\t').append(o.size()).append('\t').append(o.etag()).append('\t')
        .append(o.lastModified()).append('\t').append(o.path()).append('\n'));
    try {
      AtomicFiles.write(dir.resolve(INDEX), text.toString().getBytes(StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cache index in " + dir, e);
    }
  }

  private void readIndex() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    }
    for (String line : lines) {
      String[] f = line.split("\t", 5);
      if (f.length != 5 || !entries.containsKey(f[0])) continue;
      try {
        index.put(f[0], new StoredObject(f[4], Long.parseLong(f[1]), f[2], Instant.parse(f[3])));
      } catch (RuntimeException e) {
        log.debug("skipping a damaged cache index line: {}", e.toString());
      }
    }
  }
}
