package io.smartupdate.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Match;
import io.smartupdate.baseline.Reboot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An HPE {@code .fwpkg}: a zip whose {@code payload.json} names the devices it updates (Target GUIDs,
 * DeviceClass, Version, UpdatableBy). Read in place through the zip's central directory; nothing is
 * extracted, and a package holding an entry whose path would land outside its directory (zip slip)
 * is refused as hostile. The package itself is the component's file.
 */
final class HpeFwpkg {
  static final int MAX_ENTRIES = 4096;
  static final int MAX_PAYLOAD_BYTES = 1 << 20;

  private HpeFwpkg() {}

  static boolean handles(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".fwpkg");
  }

  static Candidate read(Path fwpkg) {
    String source = fwpkg.toString();
    JsonNode payload;
    try (ZipFile zip = new ZipFile(fwpkg.toFile())) {
      if (zip.size() > MAX_ENTRIES) throw new ImportException(source + ": more than " + MAX_ENTRIES + " entries; not a firmware package");
      ZipEntry payloadEntry = null;
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        if (!safe(entry.getName()))
          throw new ImportException(source + ": entry \"" + printable(entry.getName()) + "\" would land outside the package's "
              + "directory (zip slip); the package is refused");
        if (entry.getName().equalsIgnoreCase("payload.json")) payloadEntry = entry;
      }
      if (payloadEntry == null) throw new ImportException(source + ": has no payload.json; not an HPE firmware package");
      try (InputStream in = zip.getInputStream(payloadEntry)) {
        // The declared size may lie (a zip bomb says small and inflates large): count what is read.
        byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        if (bytes.length > MAX_PAYLOAD_BYTES)
          throw new ImportException(source + ": payload.json is larger than " + (MAX_PAYLOAD_BYTES >> 10) + " KiB");
        payload = ImportJson.tree(source + "!payload.json", bytes);
      }
    } catch (ZipException e) {
      throw new ImportException(source + ": not a readable zip (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read: " + e.getMessage(), e);
    }
    return candidate(source, fwpkg, payload);
  }

  private static Candidate candidate(String source, Path fwpkg, JsonNode payload) {
    JsonNode devices = payload.path("Devices").path("Device");
    if (!devices.isArray() || devices.isEmpty())
      throw new ImportException(source + ": payload.json has no Devices.Device list");
    List<String> targets = new ArrayList<>();
    String version = null;
    String deviceName = null;
    boolean reset = false;
    for (JsonNode d : devices) {
      String target = ImportJson.text(d, "Target");
      if (target != null && !targets.contains(target.toLowerCase(Locale.ROOT))) targets.add(target.toLowerCase(Locale.ROOT));
      if (version == null) version = ImportJson.text(d, "Version");
      if (deviceName == null) deviceName = ImportJson.text(d, "DeviceName");
      for (JsonNode image : d.path("FirmwareImages")) reset |= image.path("ResetRequired").asBoolean(false);
    }
    if (version == null) throw new ImportException(source + ": payload.json names no Version for its devices");
    List<String> updatableBy = new ArrayList<>();
    payload.path("UpdatableBy").forEach(u -> updatableBy.add(u.asText()));
    String name = deviceName == null ? fwpkg.getFileName().toString() : deviceName;
    ComponentClass cls = Classify.byName(name);
    if (cls == ComponentClass.OTHER && updatableBy.contains("Uefi") && !updatableBy.contains("Bmc")) cls = ComponentClass.BIOS;
    // UEFI applies what it flashes at the next boot; the BMC flashes at once.
    boolean atBoot = updatableBy.contains("Uefi") && !updatableBy.contains("Bmc");
    Reboot reboot = cls == ComponentClass.BMC ? Reboot.BMC : reset || atBoot ? Reboot.HOST : Reboot.NONE;
    String scheme = cls == ComponentClass.BMC ? Classify.scheme(version, "hpe-ilo", "dotted")
        : cls == ComponentClass.BIOS ? Classify.scheme(version, "hpe-rom", "dotted") : Classify.scheme(version, "dotted", "hex");
    String file = fwpkg.getFileName().toString();
    Match match = new Match(null, targets, ImportJson.text(payload, "DeviceClass"), null, null, List.of(), List.of(), null);
    return new Candidate(source, Classify.id(file.substring(0, file.length() - ".fwpkg".length())), name, "HPE", cls, fwpkg, version,
        scheme, match, null, atBoot ? ApplyTime.OnReset : ApplyTime.Immediate, reboot, null, null, null);
  }

  /** A relative entry name that stays below the package's directory once extracted anywhere. */
  static boolean safe(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || name.matches("^[A-Za-z]:.*"))
      return false;
    for (String part : name.split("/")) if (part.equals("..")) return false;
    return true;
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
