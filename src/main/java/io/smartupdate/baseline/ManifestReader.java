package io.smartupdate.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a manifest ({@code {"components":[...]}}) and validates it as a whole: each entry's fields
 * (unknown ones refused by name), ids unique, {@code requires} naming entries of the same file and
 * free of cycles. Files on disk are the caller's to check; this class sees only the JSON.
 */
public final class ManifestReader {
  /** The JSON names of a manifest's top level; served baselines add their name and file. */
  static final Set<String> TOP_FIELDS = Set.of("description", "components");
  static final Set<String> SERVED_FIELDS = Set.of("name", "file", "description", "components");
  private static final ObjectReader READER = new ObjectMapper().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private ManifestReader() {}

  /** The baseline {@code name} held in {@code json}, read from {@code source} (named in every error). */
  public static Baseline read(String source, String name, byte[] json) {
    return new Baseline(name, components(source, tree(source, json), TOP_FIELDS, false).keySet().stream().toList());
  }

  /**
   * A baseline as {@code GET /api/baselines/NAME} serves it: the manifest's entries, each with a
   * {@code mismatch} flag (and the {@code problem}) when the file on the server is not that component.
   */
  public static ServedBaseline readServed(String source, byte[] json) {
    JsonNode root = tree(source, json);
    Map<Component, String> components = components(source, root, SERVED_FIELDS, true);
    Map<String, String> mismatches = new LinkedHashMap<>();
    components.forEach((c, problem) -> {
      if (problem != null) mismatches.put(c.id(), problem);
    });
    String name = root.path("name").asText(Baseline.DEFAULT);
    return new ServedBaseline(new Baseline(name, List.copyOf(components.keySet())), mismatches);
  }

  private static JsonNode tree(String source, byte[] json) {
    try {
      JsonNode root = READER.readTree(json);
      if (root == null || !root.isObject())
        throw new ManifestException(source, null, null, "must be a JSON object {\"components\":[...]}");
      return root;
    } catch (JsonProcessingException e) {
      throw new ManifestException(source, null, null, "is not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new ManifestException(source, null, null, "cannot be read: " + e.getMessage());
    }
  }

  /** Entries in file order, each with its served problem (null when it matches or the file is a manifest). */
  private static Map<Component, String> components(String source, JsonNode root, Set<String> topFields, boolean served) {
    root.fieldNames().forEachRemaining(f -> {
      if (!topFields.contains(f)) throw new ManifestException(source, null, f, "unknown field (allowed: " + sorted(topFields) + ")");
    });
    JsonNode list = root.get("components");
    if (list == null || !list.isArray()) throw new ManifestException(source, null, "components", "must be an array of entries");
    Map<Component, String> components = new LinkedHashMap<>();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      EntryReader entry = new EntryReader(source, i, list.get(i), served);
      Component c = entry.component();
      Integer first = ids.putIfAbsent(c.id(), i);
      if (first != null) throw entry.problem("id", "\"" + c.id() + "\" is already the id of entry #" + (first + 1));
      components.put(c, entry.mismatch());
    }
    List<Component> all = List.copyOf(components.keySet());
    for (Component c : all)
      for (String required : c.requires())
        if (!ids.containsKey(required))
          throw new ManifestException(source, "\"" + c.id() + "\"", "requires", "no entry has the id \"" + required + "\"");
    checkNoCycle(source, all);
    return components;
  }

  /** Depth-first walk of {@code requires}; a component met again on its own path closes a cycle. */
  private static void checkNoCycle(String source, List<Component> components) {
    Map<String, Component> byId = new HashMap<>();
    components.forEach(c -> byId.put(c.id(), c));
    Set<String> done = new HashSet<>();
    for (Component c : components) walk(source, c, byId, new ArrayList<>(), done);
  }

  private static void walk(String source, Component c, Map<String, Component> byId, List<String> path, Set<String> done) {
    if (done.contains(c.id())) return;
    int at = path.indexOf(c.id());
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(c.id());
      throw new ManifestException(source, "\"" + c.id() + "\"", "requires", "cycle " + String.join(" -> ", cycle));
    }
    path.add(c.id());
    for (String r : c.requires()) walk(source, byId.get(r), byId, path, done);
    path.remove(path.size() - 1);
    done.add(c.id());
  }

  static String sorted(Set<String> names) {
    return String.join(", ", names.stream().sorted().toList());
  }
}
