package io.smartupdate.objectstore;

import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.Problem;
import io.smartupdate.core.RateLimitedLog;
import io.smartupdate.core.Threads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A firmware repository in S3-compatible object storage, served from a local cache. The bucket is
 * listed at start and every {@code refresh} after, so a changed object (new ETag) is picked up
 * without a restart; a response already under way keeps the copy it opened. While the bucket
 * cannot be reached, cached images keep serving, uncached ones are refused as unavailable, and
 * {@link #failure()} says why until a listing succeeds again.
 */
public final class ObjectStore implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  /**
   * An image opened from the cache: read {@code channel}, then {@link #release()} it (the copy stays
   * pinned until then). While its fill runs, {@code arrival} says how many bytes may be read and
   * {@code sha256} is null; both are null/known for a complete copy.
   */
  public record Opened(FileChannel channel, Path file, StoredObject object, String sha256, Arrival arrival, Runnable release) {}

  private final ObjectStoreConfig config;
  private final Bucket bucket;
  private final ObjectCache cache;
  private final RateLimitedLog outages = new RateLimitedLog(log, 60_000);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(Threads.daemon("bucket-list"));
  private volatile Map<String, StoredObject> catalog = Map.of();
  /** Each listed object's x-amz-meta-sha256 ("" for none), read by a HEAD when it is first listed. */
  private final Map<StoredObject, String> metadataDigests = new ConcurrentHashMap<>();
  private volatile Function<String, String> manifestDigests = path -> null;
  private volatile String failure;

  private ObjectStore(ObjectStoreConfig config, Bucket bucket, ObjectCache cache) {
    this.config = config;
    this.bucket = bucket;
    this.cache = cache;
  }

  /**
   * Opens the cache and lists the bucket. A bucket that cannot be reached does not stop the start:
   * the server serves what is cached and reports itself degraded until the bucket answers.
   */
  public static ObjectStore open(ObjectStoreConfig config) {
    ObjectCache cache;
    try {
      cache = new ObjectCache(config.cacheDir(), config.cacheSize());
    } catch (IOException e) {
      throw new IllegalStateException("cannot use the cache directory " + config.cacheDir() + ": " + e.getMessage(), e);
    }
    ObjectStore store = new ObjectStore(config, new Bucket(config), cache);
    store.refresh();
    if (store.failure != null) store.catalog = byPath(cache.cachedObjects());
    long every = config.refresh().toMillis();
    store.refresher.scheduleWithFixedDelay(store::refresh, every, every, TimeUnit.MILLISECONDS);
    log.info("serving {} images from {} (cache {}, {} MiB cap)", store.catalog.size(), config.url(), config.cacheDir(),
        config.cacheSize() >> 20);
    return store;
  }

  /** Lists the bucket again; a success ends a degraded state. */
  void refresh() {
    try {
      Map<String, StoredObject> listed = byPath(bucket.list());
      catalog = listed;
      metadataDigests.keySet().retainAll(new HashSet<>(listed.values()));
      List<StoredObject> unread = listed.values().stream().filter(o -> !metadataDigests.containsKey(o)).toList();
      if (!unread.isEmpty()) {
        try {
          refresher.execute(() -> readDeclaredDigests(unread)); // after this listing, never holding up a start
        } catch (RejectedExecutionException e) {
          // closing
        }
      }
      if (failure != null) log.info("the bucket {} answers again", config.url());
      failure = null;
    } catch (SdkException e) {
      failed(e);
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: the bucket would stay listed as it was, silently.
      log.warn("listing the bucket {} failed; trying again in {}", config.url(), config.refresh(), e);
      failed(e);
    }
  }

  /** HEADs each new or changed object for the digest its uploader declared; what fails is tried again after the next listing. */
  private void readDeclaredDigests(List<StoredObject> objects) {
    for (StoredObject object : objects) {
      if (!object.equals(catalog.get(object.path()))) continue; // changed again meanwhile
      try {
        String sha = bucket.declaredSha256(object);
        metadataDigests.put(object, sha == null ? "" : sha);
      } catch (S3Exception e) {
        if (e.statusCode() != 412 && e.statusCode() != 404) {
          outages.warn("cannot read the metadata of {} in {}: {}", object.path(), config.url(), e.getMessage());
          return;
        }
      } catch (SdkException e) {
        outages.warn("cannot read the metadata of {} in {}: {}", object.path(), config.url(), e.getMessage());
        return;
      }
    }
  }

  /**
   * Where the manifest says what SHA-256 a path must have (null: it says nothing of it): a fill of an
   * object without x-amz-meta-sha256 is checked against it.
   */
  public void expectDigests(Function<String, String> byPath) {
    manifestDigests = byPath;
  }

  /** The SHA-256 {@code object} is declared to have: its x-amz-meta-sha256, else the manifest's; null when nothing declares one. */
  DigestMismatch.Declared declared(StoredObject object) {
    String metadata = metadataDigests.get(object);
    if (metadata != null && !metadata.isEmpty()) return new DigestMismatch.Declared(metadata, "its x-amz-meta-sha256");
    String manifest = manifestDigests.apply(object.path());
    return manifest == null || !manifest.matches("[0-9a-f]{64}") ? null : new DigestMismatch.Declared(manifest, "the manifest");
  }

  private void failed(RuntimeException e) {
    failure = "cannot reach " + config.url() + ": " + e.getMessage();
    outages.warn("{}; cached images keep serving", failure);
  }

  private static Map<String, StoredObject> byPath(List<StoredObject> objects) {
    Map<String, StoredObject> map = new TreeMap<>();
    for (StoredObject o : objects) map.put(o.path(), o);
    return map;
  }

  /** The images, sorted by path, as last listed. */
  public List<StoredObject> list() {
    return List.copyOf(catalog.values());
  }

  /**
   * The SHA-256 of {@code object}: its cached copy's, else the one declared for it (x-amz-meta-sha256
   * or the manifest; a copy that disagrees is never served); null when neither is known.
   */
  public String sha256(StoredObject object) {
    String known = cache.known(object);
    if (known != null) return known;
    DigestMismatch.Declared declared = declared(object);
    return declared == null ? null : declared.sha256();
  }

  /** Null while the bucket answers; otherwise why it does not. */
  public String failure() {
    return failure;
  }

  /** Bytes held in the cache. */
  public long cachedBytes() {
    return cache.bytes();
  }

  /**
   * Opens {@code path}: its cached copy, or the fill of it from the bucket as its bytes arrive
   * ({@link Opened#arrival} then says how far they are). Blocking until the bucket answers: call it
   * off the IO threads. Not found, changed or unavailable as {@link Problem}s.
   */
  public Opened open(String path) throws IOException {
    return open(path, true);
  }

  /** Opens {@code path} only once the whole of it is cached (for reading it at once, like a manifest). */
  public Opened openComplete(String path) throws IOException {
    return open(path, false);
  }

  /** The object listed at {@code path}, without fetching it (for a HEAD); not found as a {@link Problem}. */
  public StoredObject find(String path) {
    StoredObject object = catalog.get(path);
    if (object == null) throw new Problem.NotFound("no image at " + path + "; GET /api/catalog lists the images");
    return object;
  }

  private Opened open(String path, boolean streaming) throws IOException {
    StoredObject object = find(path);
    for (int attempt = 0; attempt < 3; attempt++) {
      ObjectCache.Pinned pinned = cache.pin(object);
      if (pinned != null) {
        try {
          FileChannel channel = FileChannel.open(pinned.file(), StandardOpenOption.READ);
          return new Opened(channel, pinned.file(), object, pinned.sha256(), null, () -> cache.unpin(pinned.sha256()));
        } catch (NoSuchFileException e) {
          cache.unpin(pinned.sha256()); // removed by hand: fetched again
          continue;
        } catch (IOException | RuntimeException e) {
          cache.unpin(pinned.sha256());
          throw e;
        }
      }
      Fill fill = fill(object);
      if (!streaming) {
        fromBucket(object, fill::awaitDigest);
        continue;
      }
      if (!cache.read(fill)) continue; // completed meanwhile: the cached copy
      try {
        FileChannel channel = FileChannel.open(fill.file, StandardOpenOption.READ);
        return new Opened(channel, fill.file, object, null, fill, () -> cache.leave(fill));
      } catch (NoSuchFileException e) {
        cache.leave(fill); // renamed (completed) or deleted (failed) meanwhile: look again
      } catch (IOException | RuntimeException e) {
        cache.leave(fill);
        throw e;
      }
    }
    throw new Problem.Unavailable("cache_full", "the cache could not hold " + path + " long enough to serve it; raise --cache-size",
        RETRY_AFTER);
  }

  /** The fill of {@code object} (joined or started), once the bucket answered its GET. */
  private Fill fill(StoredObject object) throws IOException {
    String down = failure;
    if (down != null) throw new Problem.Unavailable("bucket_unavailable", object.path() + " is not cached and " + down, RETRY_AFTER);
    DigestMismatch.Declared declared = declared(object);
    DigestMismatch refused = declared == null ? null : cache.mismatched(object, declared.sha256());
    if (refused != null) throw mismatch(refused);
    Fill fill = cache.fill(object, bucket::open, declared, config.url() + "/" + object.path());
    fromBucket(object, () -> {
      fill.awaitStart();
      return null;
    });
    return fill;
  }

  private static Problem mismatch(DigestMismatch e) {
    return new Problem.Unavailable("digest_mismatch", e.getMessage(), RETRY_AFTER);
  }

  /** A wait on the bucket's answer. */
  @FunctionalInterface
  private interface BucketWait<T> {
    T get() throws IOException;
  }

  /** Runs {@code wait}, turning the bucket's refusals into {@link Problem}s: a changed object, an unreachable bucket. */
  private <T> T fromBucket(StoredObject object, BucketWait<T> wait) throws IOException {
    try {
      return wait.get();
    } catch (DigestMismatch e) {
      throw mismatch(e);
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        refresh();
        throw new Problem.Changed("changed", object.path() + " changed in the bucket while it was being fetched; retry");
      }
      failed(e);
      throw new Problem.Unavailable("bucket_unavailable", object.path() + " is not cached and " + failure, RETRY_AFTER);
    } catch (SdkException e) {
      failed(e);
      throw new Problem.Unavailable("bucket_unavailable", object.path() + " is not cached and " + failure, RETRY_AFTER);
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    cache.close();
    bucket.close();
  }
}
