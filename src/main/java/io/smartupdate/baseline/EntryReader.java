package io.smartupdate.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One manifest entry read field by field, every error naming the file, the entry and the field. */
final class EntryReader {
  static final Set<String> FIELDS = Set.of("id", "name", "vendor", "class", "file", "sha256", "size", "version",
      "versionScheme", "match", "minimumActiveVersion", "requires", "order", "applyTime", "reboot", "criticality",
      "releaseDate");
  static final Set<String> MATCH_FIELDS = Set.of("softwareId", "hpeTargets", "deviceClass", "dellComponentId", "pci",
      "models", "systemIds", "nameRegex");
  static final Set<String> PCI_FIELDS = Set.of("vendor", "device", "subvendor", "subdevice");
  private static final Set<String> SERVED = Set.of("mismatch", "problem", "pending");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern PCI_ID = Pattern.compile("(0x)?[0-9a-fA-F]{4}");

  private final String source;
  private final String label;
  private final JsonNode node;
  private final boolean served;

  EntryReader(String source, int index, JsonNode node, boolean served) {
    this.source = source;
    JsonNode id = node == null ? null : node.get("id");
    this.label = id != null && id.isTextual() && ID.matcher(id.asText()).matches() ? "\"" + id.asText() + "\"" : "#" + (index + 1);
    this.node = node;
    this.served = served;
  }

  ManifestException problem(String field, String why) {
    return new ManifestException(source, label, field, why);
  }

  /** The problem the server reported for this entry's file, or null (never set in a manifest on disk). */
  String mismatch() {
    if (!served || !node.path("mismatch").asBoolean(false)) return null;
    return node.path("problem").asText("the file on the server is not this component");
  }

  Component component() {
    if (node == null || !node.isObject()) throw problem(null, "must be a JSON object");
    checkFields(node, null, served ? union(FIELDS, SERVED) : FIELDS);
    String id = required("id");
    if (!ID.matcher(id).matches()) throw problem("id", "must be 1-128 of A-Z a-z 0-9 . _ : -, not \"" + id + "\"");
    String scheme = optional("versionScheme");
    if (scheme != null) guard("versionScheme", () -> Versions.checkScheme(scheme));
    String version = required("version");
    guard("version", () -> Versions.check(scheme == null ? "dotted" : scheme, version));
    String minimum = optional("minimumActiveVersion");
    if (minimum != null) guard("minimumActiveVersion", () -> Versions.check(scheme == null ? "dotted" : scheme, minimum));
    String sha = required("sha256");
    if (!SHA256.matcher(sha).matches()) throw problem("sha256", "must be 64 hex digits, not \"" + sha + "\"");
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0)
      throw problem("size", "must be the file's size in bytes (a whole number >= 0)");
    JsonNode order = node.get("order");
    if (order != null && !(order.isIntegralNumber() && order.canConvertToInt()))
      throw problem("order", "must be a whole number");
    String date = optional("releaseDate");
    LocalDate releaseDate = null;
    if (date != null) {
      try {
        releaseDate = LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw problem("releaseDate", "must be a date YYYY-MM-DD, not \"" + date + "\"");
      }
    }
    String applyTime = optional("applyTime");
    String reboot = optional("reboot");
    ComponentClass componentClass = parse("class", () -> ComponentClass.parse(required("class")));
    return new Component(id, optional("name"), optional("vendor"), componentClass, file(required("file")),
        sha.toLowerCase(Locale.ROOT), size.asLong(), version, scheme, match(), minimum, strings(node, "requires"),
        order == null ? 0 : order.asInt(), applyTime == null ? null : parse("applyTime", () -> ApplyTime.parse(applyTime)),
        reboot == null ? null : parse("reboot", () -> Reboot.parse(reboot)), optional("criticality"), releaseDate);
  }

  /** A relative path inside the repository: no leading '/', no '..', no backslash, NUL or hidden name. */
  private String file(String file) {
    if (file.startsWith("/") || file.contains("\\") || file.indexOf('\0') >= 0)
      throw problem("file", "must be a path relative to the repository root, not \"" + file + "\"");
    for (String name : file.split("/", -1))
      if (name.isEmpty() || name.equals("..") || name.equals(".") || name.startsWith("."))
        throw problem("file", "\"" + file + "\" leaves the repository or names a hidden or empty part");
    return file;
  }

  private Match match() {
    JsonNode m = node.get("match");
    if (m == null || m.isNull()) return null;
    if (!m.isObject()) throw problem("match", "must be an object");
    checkFields(m, "match.", MATCH_FIELDS);
    String regex = text(m, "match.nameRegex");
    if (regex != null) {
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw problem("match.nameRegex", "does not compile: " + e.getDescription() + " at index " + e.getIndex());
      }
    }
    return new Match(text(m, "match.softwareId"), strings(m, "match.hpeTargets"), text(m, "match.deviceClass"),
        text(m, "match.dellComponentId"), pci(m.get("pci")), strings(m, "match.models"), strings(m, "match.systemIds"), regex);
  }

  private Pci pci(JsonNode p) {
    if (p == null || p.isNull()) return null;
    if (!p.isObject()) throw problem("match.pci", "must be an object {vendor, device, subvendor, subdevice}");
    checkFields(p, "match.pci.", PCI_FIELDS);
    String[] ids = new String[4];
    String[] names = {"vendor", "device", "subvendor", "subdevice"};
    for (int i = 0; i < 4; i++) {
      String v = text(p, "match.pci." + names[i]);
      if (v != null && !PCI_ID.matcher(v).matches())
        throw problem("match.pci." + names[i], "must be 4 hex digits (8086), not \"" + v + "\"");
      ids[i] = v == null ? null : v.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
    }
    return new Pci(ids[0], ids[1], ids[2], ids[3]);
  }

  private void checkFields(JsonNode object, String prefix, Set<String> allowed) {
    object.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f))
        throw problem(prefix == null ? f : prefix + f, "unknown field (allowed: " + ManifestReader.sorted(allowed) + ")");
    });
  }

  private String required(String field) {
    String v = optional(field);
    if (v == null || v.isBlank()) throw problem(field, "is required");
    return v;
  }

  private String optional(String field) {
    return text(node, field);
  }

  /** The text at the last part of {@code path} in {@code object}; a number or array where a string belongs is refused. */
  private String text(JsonNode object, String path) {
    JsonNode v = object.get(path.substring(path.lastIndexOf('.') + 1));
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw problem(path, "must be a string");
    return v.asText();
  }

  private List<String> strings(JsonNode object, String path) {
    JsonNode v = object.get(path.substring(path.lastIndexOf('.') + 1));
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw problem(path, "must be an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().isBlank()) throw problem(path, "must be an array of non-empty strings");
      out.add(item.asText());
    }
    return out;
  }

  private interface Check {
    void run();
  }

  private void guard(String field, Check check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw problem(field, e.getMessage());
    }
  }

  private <T> T parse(String field, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ManifestException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw problem(field, e.getMessage());
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
