package io.smartupdate.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Writes components in the manifest's JSON shape, the one {@link ManifestReader} reads back. */
public final class ManifestWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ManifestWriter() {}

  /** A whole manifest file, {@code {"components":[...]}}, indented, ending in a newline. */
  public static byte[] manifest(Collection<Component> components) {
    ObjectNode root = NODES.objectNode();
    ArrayNode list = root.putArray("components");
    components.forEach(c -> list.add(entry(c)));
    try {
      return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One entry; defaults (order 0, no rules) are left out so a hand-written manifest stays short. */
  public static ObjectNode entry(Component c) {
    ObjectNode e = NODES.objectNode();
    e.put("id", c.id());
    if (!c.name().equals(c.id())) e.put("name", c.name());
    putIf(e, "vendor", c.vendor());
    e.put("class", c.componentClass().json());
    e.put("file", c.file());
    e.put("sha256", c.sha256());
    e.put("size", c.size());
    e.put("version", c.version());
    e.put("versionScheme", c.versionScheme());
    ObjectNode match = match(c.match());
    if (!match.isEmpty()) e.set("match", match);
    putIf(e, "minimumActiveVersion", c.minimumActiveVersion());
    if (!c.requires().isEmpty()) strings(e, "requires", c.requires());
    if (c.order() != 0) e.put("order", c.order());
    if (c.applyTime() != ApplyTime.Immediate) e.put("applyTime", c.applyTime().name());
    if (c.reboot() != Reboot.NONE) e.put("reboot", c.reboot().json());
    putIf(e, "criticality", c.criticality());
    if (c.releaseDate() != null) e.put("releaseDate", c.releaseDate().toString());
    return e;
  }

  private static ObjectNode match(Match m) {
    ObjectNode o = NODES.objectNode();
    putIf(o, "softwareId", m.softwareId());
    if (!m.hpeTargets().isEmpty()) strings(o, "hpeTargets", m.hpeTargets());
    putIf(o, "deviceClass", m.deviceClass());
    putIf(o, "dellComponentId", m.dellComponentId());
    if (m.pci() != null) {
      ObjectNode pci = o.putObject("pci");
      putIf(pci, "vendor", m.pci().vendor());
      putIf(pci, "device", m.pci().device());
      putIf(pci, "subvendor", m.pci().subvendor());
      putIf(pci, "subdevice", m.pci().subdevice());
    }
    if (!m.models().isEmpty()) strings(o, "models", m.models());
    if (!m.systemIds().isEmpty()) strings(o, "systemIds", m.systemIds());
    putIf(o, "nameRegex", m.nameRegex());
    return o;
  }

  private static void putIf(ObjectNode o, String field, String value) {
    if (value != null) o.put(field, value);
  }

  private static void strings(ObjectNode o, String field, List<String> values) {
    ArrayNode a = o.putArray(field);
    values.forEach(a::add);
  }
}
