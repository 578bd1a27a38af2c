package io.smartupdate.firmware;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ManifestException;
import io.smartupdate.baseline.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's manifests: {@code baseline.json} (the default baseline) and {@code baselines/NAME.json}.
 * Read strictly at start (an unusable manifest stops it); re-read whenever a scan sees a manifest
 * file change, keeping the last good baselines when the new text is unusable. Each component's file
 * is checked against its entry: a file whose size or sha-256 differs is never offered as that component.
 */
final class RepositoryManifest {
  private static final Logger log = LoggerFactory.getLogger(RepositoryManifest.class);
  static final String DEFAULT_FILE = "baseline.json";
  static final String NAMED_DIR = "baselines/";
  private static final Pattern NAMED = Pattern.compile("baselines/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\\.json");

  /** Baselines in order (default first) with the manifest file each came from, and the files' versions when read. */
  record Loaded(Map<String, Baseline> baselines, Map<String, String> files, List<ImageVersion> read) {
    static final Loaded NONE = new Loaded(Map.of(), Map.of(), List.of());
  }

  private final Path root;
  private volatile Loaded loaded;
  private volatile String reloadError;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  private RepositoryManifest(Path root, Loaded loaded) {
    this.root = root;
    this.loaded = loaded;
  }

  /** True for the files that are manifests rather than images (they are not listed in the catalog). */
  static boolean isManifest(String path) {
    return path.equals(DEFAULT_FILE) || NAMED.matcher(path).matches();
  }

  /**
   * Reads the manifests among {@code scanned} and checks every component's file is present with its
   * size; throws {@link ManifestException} (one line: file, entry, field) when any is unusable.
   */
  static RepositoryManifest load(Path root, List<ImageVersion> scanned) {
    Loaded loaded = read(root, scanned);
    Map<String, ImageVersion> files = byPath(scanned);
    for (Baseline b : loaded.baselines().values())
      for (Component c : b.components()) {
        String problem = fileProblem(c, files.get(c.file()));
        if (problem != null)
          throw new ManifestException(root.resolve(loaded.files().get(b.name())).toString(), "\"" + c.id() + "\"",
              problem.startsWith("size") ? "size" : "file", problem);
      }
    return new RepositoryManifest(root, loaded);
  }

  /** The baselines as last read, without looking for changes. */
  Loaded current() {
    return loaded;
  }

  /** The baselines now; re-reads them first when a manifest file in {@code scanned} changed, appeared or went. */
  Loaded refresh(List<ImageVersion> scanned) {
    Loaded current = loaded;
    List<ImageVersion> now = scanned.stream().filter(v -> isManifest(v.path())).toList();
    if (same(now, current.read())) return current;
    synchronized (this) {
      if (!same(now, loaded.read())) {
        try {
          loaded = read(root, scanned);
          reloadError = null;
          log.info("manifest reloaded: {} baselines, {} components", loaded.baselines().size(),
              loaded.baselines().values().stream().mapToInt(b -> b.components().size()).sum());
        } catch (ManifestException e) {
          // Keep serving the last good baselines; the files' versions are remembered so the error is logged once.
          loaded = new Loaded(loaded.baselines(), loaded.files(), now);
          reloadError = e.getMessage();
          log.error("manifest not reloaded, the previous one stays in use: {}", e.getMessage());
        }
      }
      return loaded;
    }
  }

  /** A component of a baseline with its file's state: {@code problem} null when it is that component. */
  record Checked(String baseline, Component component, String problem, boolean pending) {}

  /** Every component of every baseline in {@code loaded}, checked against the files; {@code sha} may answer null (still hashing). */
  List<Checked> check(Loaded loaded, Map<String, ImageVersion> files, Function<ImageVersion, String> sha) {
    List<Checked> out = new ArrayList<>();
    Map<String, String> hashes = new HashMap<>();
    loaded.baselines().forEach((name, b) -> {
      for (Component c : b.components()) {
        ImageVersion file = files.get(c.file());
        String digest = file == null ? null : hashes.computeIfAbsent(c.file(), f -> sha.apply(file));
        String problem = mismatch(name, c, file, digest);
        out.add(new Checked(name, c, problem, problem == null && digest == null));
      }
    });
    return out;
  }

  /** Why the last reload was refused, or null when the manifest in use is the one on disk. */
  String reloadError() {
    return reloadError;
  }

  /**
   * Why {@code file} (its current version, null when absent) and {@code sha256} (null while hashing)
   * are not the component the entry describes, or null when they are (or may be, until hashed).
   * A mismatch is logged once per entry and file version.
   */
  String mismatch(String baseline, Component c, ImageVersion file, String sha256) {
    String problem = fileProblem(c, file);
    if (problem == null && sha256 != null && !sha256.equals(c.sha256()))
      problem = "sha-256 of " + c.file() + " is " + sha256 + ", the entry says " + c.sha256();
    if (problem != null && logged.add(baseline + "/" + c.id() + "/" + (file == null ? "absent" : file.etag())))
      log.warn("{} is not offered as component \"{}\" of baseline {}: {}", c.file(), c.id(), baseline, problem);
    return problem;
  }

  private static String fileProblem(Component c, ImageVersion file) {
    if (file == null) return c.file() + " is not in the repository";
    if (file.size() != c.size()) return "size of " + c.file() + " is " + file.size() + " bytes, the entry says " + c.size();
    return null;
  }

  static Map<String, ImageVersion> byPath(List<ImageVersion> scanned) {
    Map<String, ImageVersion> files = new LinkedHashMap<>();
    scanned.forEach(v -> files.put(v.path(), v));
    return files;
  }

  private static Loaded read(Path root, List<ImageVersion> scanned) {
    List<ImageVersion> manifests = new ArrayList<>();
    Map<String, Baseline> baselines = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    List<ImageVersion> sorted = new ArrayList<>(scanned.stream().filter(v -> isManifest(v.path())).toList());
    // The default baseline first, then the named ones by name.
    sorted.sort((a, b) -> a.path().equals(DEFAULT_FILE) ? -1 : b.path().equals(DEFAULT_FILE) ? 1 : a.path().compareTo(b.path()));
    for (ImageVersion v : sorted) {
      String name = v.path().equals(DEFAULT_FILE) ? Baseline.DEFAULT : nameOf(v.path());
      Path file = root.resolve(v.path());
      if (name.equals(Baseline.DEFAULT) && !v.path().equals(DEFAULT_FILE))
        throw new ManifestException(file.toString(), null, null, "\"default\" is the baseline in " + DEFAULT_FILE + "; rename this file");
      byte[] json;
      try {
        json = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ManifestException(file.toString(), null, null, "cannot be read: " + e.getMessage());
      }
      baselines.put(name, ManifestReader.read(file.toString(), name, json));
      files.put(name, v.path());
      manifests.add(v);
    }
    return new Loaded(Collections.unmodifiableMap(baselines), Collections.unmodifiableMap(files), List.copyOf(manifests));
  }

  private static String nameOf(String path) {
    var m = NAMED.matcher(path);
    if (!m.matches()) throw new IllegalStateException(path);
    return m.group(1);
  }

  private static boolean same(List<ImageVersion> now, List<ImageVersion> read) {
    if (now.size() != read.size()) return false;
    Map<String, ImageVersion> before = byPath(read);
    for (ImageVersion v : now) if (!v.sameAs(before.get(v.path()))) return false;
    return true;
  }
}
