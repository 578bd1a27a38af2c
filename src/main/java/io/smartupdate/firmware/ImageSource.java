package io.smartupdate.firmware;

import io.smartupdate.baseline.Baseline;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where images come from: a local directory ({@link FirmwareRepository}) or object storage behind
 * a local cache ({@link BucketImages}). The handlers serve either the same way: an open gives a
 * file channel and a version whose validators the HTTP layer turns into headers.
 */
interface ImageSource {
  /** Resolves a raw URL tail and opens the image; not found, bad input, changed or unavailable as Problems. */
  FirmwareRepository.OpenImage open(String rawTail) throws IOException;

  /** What a HEAD needs of the image at a raw URL tail: its version; the bytes only where they cost nothing to open. */
  default FirmwareRepository.OpenImage describe(String rawTail) throws IOException {
    return open(rawTail);
  }

  /** The digest when known; null otherwise (a local source starts hashing then). */
  String digestOrStartHashing(ImageVersion version);

  CompletableFuture<String> digest(ImageVersion version);

  /** Every servable image, sorted by path. */
  List<ImageVersion> scan();

  /** The manifests, re-read when a fresh {@link #scan} shows one changed. */
  RepositoryManifest manifest();

  /**
   * What {@code /health} says of the manifest: baselines and components counted, files still being
   * hashed, the mismatches (baseline, id, file, problem) and a refused reload; null without a manifest.
   */
  static Map<String, Object> manifestHealth(ImageSource source) {
    List<ImageVersion> versions = source.scan();
    RepositoryManifest manifest = source.manifest();
    RepositoryManifest.Loaded loaded = manifest.refresh(versions);
    if (loaded.baselines().isEmpty() && manifest.reloadError() == null) return null;
    List<RepositoryManifest.Checked> checked = manifest.check(loaded, RepositoryManifest.byPath(versions), source::digestOrStartHashing);
    List<Map<String, String>> mismatches = checked.stream().filter(c -> c.problem() != null)
        .map(c -> {
          Map<String, String> m = new LinkedHashMap<>();
          m.put("baseline", c.baseline());
          m.put("id", c.component().id());
          m.put("file", c.component().file());
          m.put("problem", c.problem());
          return m;
        })
        .toList();
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("baselines", loaded.baselines().size());
    health.put("components", checked.size());
    health.put("pending", checked.stream().filter(RepositoryManifest.Checked::pending).count());
    health.put("mismatches", mismatches);
    if (manifest.reloadError() != null) health.put("reloadError", manifest.reloadError());
    return health;
  }

  /**
   * The baseline {@code name} as offered: its components whose file is known not to be them (sha-256
   * or size differ, file gone) are left out; a file still being hashed is offered. Empty when the
   * repository has no such baseline.
   */
  static Optional<Baseline> baseline(ImageSource source, String name) {
    List<ImageVersion> versions = source.scan();
    RepositoryManifest manifest = source.manifest();
    RepositoryManifest.Loaded loaded = manifest.refresh(versions);
    Baseline baseline = loaded.baselines().get(name);
    if (baseline == null) return Optional.empty();
    RepositoryManifest.Loaded one = new RepositoryManifest.Loaded(Map.of(name, baseline), loaded.files(), loaded.read());
    return Optional.of(new Baseline(name, manifest.check(one, RepositoryManifest.byPath(versions), source::digestOrStartHashing).stream()
        .filter(c -> c.problem() == null).map(RepositoryManifest.Checked::component).toList()));
  }

  /** Whether {@link #open} may block (a fill from the bucket), so it must run off the IO threads. */
  default boolean blocks() {
    return false;
  }
}
