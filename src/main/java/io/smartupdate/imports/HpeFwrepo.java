package io.smartupdate.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Match;
import io.smartupdate.baseline.Reboot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * HPE SPP {@code fwrepodata/fwrepo.json}: an object keyed by package file name, each with
 * {@code version}, {@code target} GUIDs, {@code deviceclass}, {@code minimum_active_version},
 * {@code reboot_required}, {@code description} and {@code date}. The packages sit next to
 * {@code fwrepodata/} (or in its sibling {@code packages/}).
 */
final class HpeFwrepo {
  static final int MAX_BYTES = 64 << 20;

  private HpeFwrepo() {}

  static boolean handles(Path file) {
    return file.getFileName().toString().equalsIgnoreCase("fwrepo.json");
  }

  static void read(Path fwrepo, Consumer<Candidate> sink) {
    String source = fwrepo.toString();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(fwrepo)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) throw new ImportException(source + ": larger than " + (MAX_BYTES >> 20) + " MiB; not an SPP catalog");
    JsonNode root = ImportJson.tree(source, bytes);
    Path dir = fwrepo.toAbsolutePath().getParent();
    Path base = dir.getFileName() != null && dir.getFileName().toString().equalsIgnoreCase("fwrepodata") ? dir.getParent() : dir;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sink.accept(candidate(source, base, e.getKey(), e.getValue()));
    }
  }

  private static Candidate candidate(String source, Path base, String fileName, JsonNode entry) {
    if (!entry.isObject()) throw new ImportException(source + ": entry \"" + fileName + "\" is not an object");
    if (!HpeFwpkg.safe(fileName) || fileName.contains("/"))
      throw new ImportException(source + ": entry \"" + fileName + "\" is not a plain file name; it would leave the repository");
    String version = ImportJson.text(entry, "version");
    if (version == null) throw new ImportException(source + ": entry \"" + fileName + "\" has no version");
    String description = ImportJson.text(entry, "description");
    String name = description == null ? fileName : description;
    ComponentClass cls = Classify.byName(name + " " + fileName);
    String scheme = cls == ComponentClass.BMC ? Classify.scheme(version, "hpe-ilo", "dotted")
        : cls == ComponentClass.BIOS ? Classify.scheme(version, "hpe-rom", "dotted") : Classify.scheme(version, "dotted", "hex");
    String minimum = ImportJson.text(entry, "minimum_active_version");
    if (minimum != null && !Classify.scheme(minimum, scheme).equals(scheme)) minimum = null; // unreadable: no rule rather than a wrong one
    List<String> targets = new ArrayList<>();
    entry.path("target").forEach(t -> targets.add(t.asText().toLowerCase(Locale.ROOT)));
    boolean reboot = "yes".equalsIgnoreCase(ImportJson.text(entry, "reboot_required"))
        || "true".equalsIgnoreCase(ImportJson.text(entry, "reboot_required"));
    Reboot kind = !reboot ? Reboot.NONE : cls == ComponentClass.BMC ? Reboot.BMC : Reboot.HOST;
    Path file = base.resolve(fileName);
    if (!Files.exists(file) && Files.exists(base.resolve("packages").resolve(fileName))) file = base.resolve("packages").resolve(fileName);
    String id = Classify.id(fileName.replaceFirst("(?i)\\.(fwpkg|zip|bin|flash|exe|rpm)$", ""));
    Match match = new Match(null, targets, ImportJson.text(entry, "deviceclass"), null, null, List.of(), List.of(), null);
    return new Candidate(source, id, name, "HPE", cls, file, version, scheme, match, minimum,
        kind == Reboot.HOST ? ApplyTime.OnReset : ApplyTime.Immediate, kind, null, date(ImportJson.text(entry, "date")), null);
  }

  private static LocalDate date(String text) {
    if (text == null) return null;
    for (String pattern : List.of("yyyy-MM-dd", "MM/dd/yyyy", "M/d/yyyy")) {
      try {
        return LocalDate.parse(text.length() > 10 && pattern.startsWith("yyyy") ? text.substring(0, 10) : text,
            DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return null;
  }
}
