package io.smartupdate.firmware;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.core.AtomicFiles;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.Problem;
import io.smartupdate.objectstore.ObjectStore;
import io.smartupdate.objectstore.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firmware repository in object storage ({@code --repo s3://bucket/prefix}). An image's
 * version is made of the bucket's own metadata (size, Last-Modified, ETag), never of the local
 * copy's inode or times, so every server answers with the same ETag and Last-Modified and an HTTP
 * cache in front of several servers works.
 */
public final class BucketImages implements ImageSource, Lifecycle {
  private static final int MAX_KNOWN = 10_000;
  private static final Logger log = LoggerFactory.getLogger(BucketImages.class);
  private final ObjectStore store;
  /** Digests of versions opened (and so cached), for Repr-Digest without asking the store each time. */
  private final Map<ImageVersion, String> digests = new ConcurrentHashMap<>();
  /** Where the manifests in the bucket are copied to be read; the versions copied there. */
  private final Path manifestRoot;
  private final Map<String, ImageVersion> copied = new ConcurrentHashMap<>();
  private final RepositoryManifest manifest;

  /**
   * Serves {@code store}; its manifests ({@code baseline.json}, {@code baselines/*.json}) are copied
   * to {@code manifestRoot} and read there, strictly at start as for a local repository.
   */
  public BucketImages(ObjectStore store, Path manifestRoot) {
    this.store = store;
    this.manifestRoot = manifestRoot;
    try {
      this.manifest = RepositoryManifest.load(manifestRoot, scan());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    store.expectDigests(this::manifestDigest);
  }

  private record FileDigests(RepositoryManifest.Loaded loaded, Map<String, String> byFile) {}

  private volatile FileDigests fileDigests;

  /** The SHA-256 the manifest gives {@code path} (null when it gives none, or two that differ), as last read. */
  private String manifestDigest(String path) {
    RepositoryManifest.Loaded loaded = manifest.current();
    FileDigests memo = fileDigests;
    if (memo == null || memo.loaded() != loaded) {
      Map<String, String> byFile = new HashMap<>();
      for (Baseline b : loaded.baselines().values()) {
        for (Component c : b.components()) byFile.merge(c.file(), c.sha256(), (x, y) -> x.equals(y) ? x : "");
      }
      memo = new FileDigests(loaded, byFile);
      fileDigests = memo;
    }
    String sha = memo.byFile().get(path);
    return sha == null || sha.isEmpty() ? null : sha;
  }

  @Override
  public RepositoryManifest manifest() {
    return manifest;
  }

  /** The baseline {@code name} as offered (see {@link FirmwareRepository#baseline}). */
  public Optional<Baseline> baseline(String name) {
    return ImageSource.baseline(this, name);
  }

  /** What {@code /health} says of the manifest; null without one. */
  public Map<String, Object> manifestHealth() {
    return ImageSource.manifestHealth(this);
  }

  /** Null while the bucket answers; otherwise why it does not (the server is then degraded). */
  public String failure() {
    return store.failure();
  }

  @Override
  public FirmwareRepository.OpenImage open(String rawTail) throws IOException {
    String relative = SafePath.decode(rawTail);
    if (!RepositoryPolicy.visiblePath(relative)) throw new Problem.NotFound("no image at " + relative);
    ObjectStore.Opened opened = store.open(relative);
    ImageVersion version = version(opened.object());
    if (opened.sha256() != null) {
      if (digests.size() >= MAX_KNOWN) digests.clear();
      digests.put(version, opened.sha256());
    }
    AtomicBoolean released = new AtomicBoolean();
    return new FirmwareRepository.OpenImage(opened.channel(), version, opened.file(), null, () -> {
      if (released.compareAndSet(false, true)) opened.release().run();
    }, opened.arrival());
  }

  /** A HEAD answers from the listing: an image not cached is not fetched from the bucket for it. */
  @Override
  public FirmwareRepository.OpenImage describe(String rawTail) {
    String relative = SafePath.decode(rawTail);
    if (!RepositoryPolicy.visiblePath(relative)) throw new Problem.NotFound("no image at " + relative);
    return new FirmwareRepository.OpenImage(null, version(store.find(relative)), null, null);
  }

  @Override
  public String digestOrStartHashing(ImageVersion version) {
    return digests.get(version);
  }

  @Override
  public CompletableFuture<String> digest(ImageVersion version) {
    String known = digests.get(version);
    if (known != null) return CompletableFuture.completedFuture(known);
    for (StoredObject object : store.list()) {
      if (object.path().equals(version.path()) && version(object).equals(version)) {
        return CompletableFuture.completedFuture(store.sha256(object));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public List<ImageVersion> scan() {
    List<ImageVersion> versions = new ArrayList<>();
    for (StoredObject object : store.list()) {
      if (!RepositoryPolicy.visiblePath(object.path())) continue;
      ImageVersion version = version(object);
      if (RepositoryManifest.isManifest(object.path()) && !version.equals(copied.get(object.path())) && !copy(version)) continue;
      versions.add(version);
    }
    return versions;
  }

  /** Copies a manifest from the bucket (through the cache) to where it is read; false when it cannot be had now. */
  private boolean copy(ImageVersion version) {
    try {
      ObjectStore.Opened opened = store.openComplete(version.path());
      try {
        Path target = manifestRoot.resolve(version.path());
        Files.createDirectories(target.getParent());
        AtomicFiles.write(target, Files.readAllBytes(opened.file()), "rw-r--r--");
      } finally {
        opened.channel().close();
        opened.release().run();
      }
      copied.put(version.path(), version);
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read the manifest {} from the bucket: {}", version.path(), e.getMessage());
      return false;
    }
  }

  @Override
  public boolean blocks() {
    return true;
  }

  /**
   * The version of a bucket object: its Last-Modified as the modification time and a hash of its
   * ETag in place of the inode data, which {@link ImageVersion#etag()} then turns into a strong
   * validator that changes with the object and is equal on every server.
   */
  static ImageVersion version(StoredObject object) {
    Instant modified = object.lastModified();
    long nanos = modified.getEpochSecond() * 1_000_000_000L + modified.getNano();
    return new ImageVersion(object.path(), object.size(), nanos, etagHash(object.etag()), 0, 0);
  }

  private static long etagHash(String etag) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(etag.getBytes(StandardCharsets.UTF_8));
      long hash = 0;
      for (int i = 0; i < 8; i++) hash = (hash << 8) | (sha[i] & 0xff);
      return hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
