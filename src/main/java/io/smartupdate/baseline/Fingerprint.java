package io.smartupdate.baseline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a deploy run remembers of the baseline it applies: each component's version, sha-256, file,
 * apply time and reboot by id. A resume compares it with the baseline as the server serves it now,
 * and takes each planned step's apply time and reboot from it.
 */
public record Fingerprint(Map<String, Entry> components) {
  /** One component as it was; the apply time and reboot default as in the manifest (Immediate, none). */
  public record Entry(String version, String sha256, String file, ApplyTime applyTime, Reboot reboot) {
    public Entry {
      Objects.requireNonNull(version, "version == null");
      Objects.requireNonNull(file, "file == null");
      applyTime = applyTime == null ? ApplyTime.Immediate : applyTime;
      reboot = reboot == null ? Reboot.NONE : reboot;
    }

    public Entry(String version, String sha256, String file) {
      this(version, sha256, file, null, null);
    }

    /** How {@code before} became this one, or null when they are the same. */
    String changeSince(Entry before) {
      if (!before.version.equals(version)) return "version " + before.version + " -> " + version;
      if (!Objects.equals(before.sha256, sha256)) return "sha-256 " + shortHash(before.sha256) + " -> " + shortHash(sha256);
      if (!before.file.equals(file)) return "file " + before.file + " -> " + file;
      if (before.applyTime != applyTime) return "apply time " + before.applyTime + " -> " + applyTime;
      if (before.reboot != reboot) return "reboot " + before.reboot.json() + " -> " + reboot.json();
      return null;
    }
  }

  public Fingerprint {
    components = Map.copyOf(Objects.requireNonNull(components, "components == null"));
  }

  public static Fingerprint of(Baseline baseline) {
    Map<String, Entry> entries = new TreeMap<>();
    for (Component c : baseline.components()) entries.put(c.id(), new Entry(c.version(), c.sha256(), c.file(), c.applyTime(), c.reboot()));
    return new Fingerprint(entries);
  }

  /** The sha-256 of every component's id, version, sha-256, file, apply time and reboot, in id order: equal digests, same baseline. */
  public String digest() {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(components).forEach((id, e) -> text.append(id).append('\t').append(e.version()).append('\t').append(e.sha256()).append('\t')
        .append(e.file()).append('\t').append(e.applyTime()).append('\t').append(e.reboot().json()).append('\n'));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** What changed from {@code before} to this, one phrase per component in id order (id, old -> new); empty when nothing did. */
  public List<String> changesSince(Fingerprint before) {
    List<String> changes = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(before.components.keySet());
    ids.addAll(components.keySet());
    for (String id : ids) {
      Entry was = before.components.get(id);
      Entry now = components.get(id);
      if (was == null) {
        changes.add("component " + id + " added (" + now.version() + ")");
      } else if (now == null) {
        changes.add("component " + id + " removed (was " + was.version() + ")");
      } else if (now.changeSince(was) != null) {
        changes.add("component " + id + ": " + now.changeSince(was));
      }
    }
    return changes;
  }

  private static String shortHash(String sha256) {
    return sha256 == null ? "none" : sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
  }
}
