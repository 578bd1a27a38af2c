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
 * What a deploy run remembers of the baseline it applies: each component's version, sha-256 and
 * file by id. A resume compares it with the baseline as the server serves it now.
 */
public record Fingerprint(Map<String, Entry> components) {
  /** One component as it was. */
  public record Entry(String version, String sha256, String file) {
    public Entry {
      Objects.requireNonNull(version, "version == null");
      Objects.requireNonNull(file, "file == null");
    }
  }

  public Fingerprint {
    components = Map.copyOf(Objects.requireNonNull(components, "components == null"));
  }

  public static Fingerprint of(Baseline baseline) {
    Map<String, Entry> entries = new TreeMap<>();
    for (Component c : baseline.components()) entries.put(c.id(), new Entry(c.version(), c.sha256(), c.file()));
    return new Fingerprint(entries);
  }

  /** The sha-256 of every component's id, version, sha-256 and file, in id order: equal digests, same baseline. */
  public String digest() {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(components).forEach((id, e) -> text.append(id).append('\t').append(e.version()).append('\t').append(e.sha256()).append('\t')
        .append(e.file()).append('\n'));
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
      } else if (!was.version().equals(now.version())) {
        changes.add("component " + id + ": version " + was.version() + " -> " + now.version());
      } else if (!Objects.equals(was.sha256(), now.sha256())) {
        changes.add("component " + id + ": sha-256 " + shortHash(was.sha256()) + " -> " + shortHash(now.sha256()));
      } else if (!was.file().equals(now.file())) {
        changes.add("component " + id + ": file " + was.file() + " -> " + now.file());
      }
    }
    return changes;
  }

  private static String shortHash(String sha256) {
    return sha256 == null ? "none" : sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
  }
}
