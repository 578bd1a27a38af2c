package io.smartupdate.imports;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ManifestException;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.baseline.ManifestWriter;
import io.smartupdate.core.AtomicFiles;
import io.smartupdate.core.StartupException;
import io.smartupdate.firmware.RepositoryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code smartupdate import}: reads vendor catalogs and packages, finds each component's file in the
 * repository, checks it against the catalog's digest, and merges the components into the manifest
 * ({@code baseline.json}, or {@code baselines/NAME.json}) in one atomic write. A tampered file, a
 * hostile input or a manifest that would not validate stops the import before anything is written.
 */
public final class Importer {
  private static final Pattern BASELINE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int EXAMPLES = 5;

  private final Path root;
  private final Map<Path, FileDigests> digests = new HashMap<>();
  private final Map<String, Component> imported = new LinkedHashMap<>();
  private final List<String> absentExamples = new ArrayList<>();
  private int absent;

  private Importer(Path root) {
    this.root = root;
  }

  /** Imports {@code inputs} into {@code repo}'s baseline {@code baseline} (null: the default one). */
  public static ImportResult run(Path repo, String baseline, List<Path> inputs) {
    Path root;
    try {
      root = RepositoryPolicy.realRoot(repo);
    } catch (StartupException e) {
      throw new ImportException(e.getMessage());
    }
    String name = baseline == null ? Baseline.DEFAULT : baseline;
    if (!BASELINE_NAME.matcher(name).matches())
      throw new ImportException("baseline name \"" + name + "\" must be 1-64 of A-Z a-z 0-9 . _ - (it names baselines/NAME.json)");
    Path manifest = name.equals(Baseline.DEFAULT) ? root.resolve("baseline.json") : root.resolve("baselines").resolve(name + ".json");
    Importer importer = new Importer(root);
    int notFirmware = 0;
    for (Path input : inputs) notFirmware += importer.read(input.toAbsolutePath());
    return importer.merge(manifest, name, notFirmware);
  }

  /** Reads one input; returns how many of its entries were not firmware. */
  private int read(Path input) {
    if (!Files.isRegularFile(input)) throw new ImportException(input + ": no such file");
    if (HpeFwpkg.handles(input)) {
      accept(HpeFwpkg.read(input));
      return 0;
    } else if (HpeFwrepo.handles(input)) {
      HpeFwrepo.read(input, this::accept);
      return 0;
    } else if (DellCatalog.handles(input)) {
      return DellCatalog.read(input, this::accept);
    }
    throw new ImportException(input + ": not a Dell Catalog.xml, an HPE .fwpkg or an HPE fwrepo.json (by its name)");
  }

  private void accept(Candidate c) {
    Path file = c.file().normalize();
    if (!Files.exists(file)) {
      if (absent++ < EXAMPLES) absentExamples.add(file.toString());
      return;
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new ImportException(c.source() + ": " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (!RepositoryPolicy.contains(root, real) || !Files.isRegularFile(real))
      throw new ImportException(c.source() + ": " + file + " is not a file inside the repository " + root
          + "; put the catalog and its files in the repository (or pass /repo DIR)");
    FileDigests d = digests.computeIfAbsent(real, f -> {
      try {
        return FileDigests.of(f);
      } catch (IOException e) {
        throw new ImportException(c.source() + ": " + f + " cannot be read: " + e.getMessage(), e);
      }
    });
    if (c.md5() != null && !c.md5().equalsIgnoreCase(d.md5()))
      throw new ImportException(c.source() + ": " + root.relativize(real) + " has MD5 " + d.md5() + " but the catalog says "
          + c.md5().toLowerCase(Locale.ROOT) + "; the file is not the one the catalog describes (tampered or damaged), nothing was imported");
    String relative = root.relativize(real).toString();
    imported.put(c.id(), new Component(c.id(), c.name(), c.vendor(), c.componentClass(), relative, d.sha256(), d.size(), c.version(),
        c.versionScheme(), c.match(), c.minimumActiveVersion(), List.of(), 0, c.applyTime(), c.reboot(), c.criticality(),
        c.releaseDate()));
  }

  private ImportResult merge(Path manifest, String name, int notFirmware) {
    Map<String, Component> merged = new LinkedHashMap<>();
    try {
      if (Files.exists(manifest))
        for (Component c : ManifestReader.read(manifest.toString(), name, Files.readAllBytes(manifest)).components()) merged.put(c.id(), c);
    } catch (ManifestException e) {
      throw new ImportException("the manifest to merge into is not usable: " + e.getMessage() + "; fix it first");
    } catch (IOException e) {
      throw new ImportException(manifest + ": cannot be read: " + e.getMessage(), e);
    }
    int replaced = 0;
    for (Component c : imported.values()) if (merged.put(c.id(), c) != null) replaced++;
    byte[] bytes = ManifestWriter.manifest(merged.values());
    try {
      // What is written is what the server will read: validate it with the same reader first.
      ManifestReader.read(manifest.toString(), name, bytes);
    } catch (ManifestException e) {
      throw new ImportException("the merged manifest would not be usable: " + e.getMessage() + "; nothing was written");
    }
    try {
      if (!imported.isEmpty()) AtomicFiles.write(manifest, bytes, "rw-r--r--");
    } catch (IOException e) {
      throw new ImportException(manifest + ": cannot be written: " + e.getMessage(), e);
    }
    return new ImportResult(manifest, imported.size() - replaced, replaced, absent, absentExamples, notFirmware);
  }
}
