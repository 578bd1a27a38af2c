package io.smartupdate.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small vendor catalogs written from the public format descriptions (no vendor file copied): Dell
 * Catalog.xml in UTF-16LE with a byte-order mark, HPE .fwpkg zips with a payload.json, SPP fwrepo.json.
 */
final class SyntheticCatalogs {
  private SyntheticCatalogs() {}

  /** One SoftwareComponent; {@code devices} is the inner XML of SupportedDevices. */
  static String component(String packageId, String path, String version, String md5, String type, String name, String devices,
      String models, boolean reboot) {
    return "  <SoftwareComponent schemaVersion=\"3.0\" packageID=\"" + packageId + "\" releaseID=\"" + packageId + "\" hashMD5=\""
        + md5 + "\" path=\"" + path + "\" dateTime=\"2026-03-15T10:00:00+00:00\" releaseDate=\"March 15, 2026\" vendorVersion=\""
        + version + "\" dellVersion=\"A00\" packageType=\"LWXP\" rebootRequired=\"" + reboot + "\" size=\"1000\">\n"
        + "    <Name><Display lang=\"en\"><![CDATA[" + name + "]]></Display></Name>\n"
        + "    <ComponentType value=\"" + type + "\"><Display lang=\"en\">" + type + "</Display></ComponentType>\n"
        + "    <Criticality value=\"1\"><Display lang=\"en\">Recommended</Display></Criticality>\n"
        + "    <SupportedDevices>" + devices + "</SupportedDevices>\n"
        + "    <SupportedSystems><Brand key=\"3\" prefix=\"PE\"><Display lang=\"en\">PowerEdge</Display>" + models
        + "</Brand></SupportedSystems>\n  </SoftwareComponent>\n";
  }

  static String model(String systemId, String name) {
    return "<Model systemID=\"" + systemId + "\" systemIDType=\"BIOS\"><Display lang=\"en\"><![CDATA[" + name + "]]></Display></Model>";
  }

  static String device(String componentId, String pci) {
    return "<Device componentID=\"" + componentId + "\" embedded=\"1\"><Display lang=\"en\">device " + componentId + "</Display>"
        + (pci == null ? "" : pci) + "</Device>";
  }

  static String pci(String vendor, String device, String subVendor, String subDevice) {
    return "<PCIInfo vendorID=\"" + vendor + "\" deviceID=\"" + device + "\" subVendorID=\"" + subVendor + "\" subDeviceID=\""
        + subDevice + "\"/>";
  }

  /** Writes a Catalog.xml around {@code components}, UTF-16LE with a BOM as Dell ships it. */
  static Path dellCatalog(Path file, String prolog, String components) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_16LE)) {
      w.write('\uFEFF');
      w.write("<?xml version=\"1.0\" encoding=\"utf-16\"?>\n" + prolog);
      w.write("<Manifest baseLocation=\"downloads.example.com\" dateTime=\"2026-03-20T00:00:00\" identifier=\"synthetic\" "
          + "releaseID=\"X1\" version=\"26.03.00\">\n");
      w.write(components);
      w.write("</Manifest>\n");
    }
    return file;
  }

  /** A zip with the given entries (name to bytes), as an HPE .fwpkg is. */
  static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  static byte[] payload(String deviceClass, String target, String version, String deviceName, String updatableBy) {
    return ("{\"PackageFormat\":\"FWPKG-v2\",\"DeviceClass\":\"" + deviceClass + "\",\"UpdatableBy\":[\"" + updatableBy + "\"],"
        + "\"Devices\":{\"Device\":[{\"DeviceName\":\"" + deviceName + "\",\"Target\":\"" + target + "\",\"Version\":\"" + version
        + "\",\"FirmwareImages\":[{\"FileName\":\"image.bin\",\"InstallDurationSec\":300,\"ResetRequired\":false}]}]}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
