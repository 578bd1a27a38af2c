package io.smartupdate.imports;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Match;
import io.smartupdate.baseline.Pci;
import io.smartupdate.baseline.Reboot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Dell {@code Catalog.xml} (UTF-16 with a byte-order mark as Dell ships it, any encoding the XML
 * declaration names) read as a stream, one {@code SoftwareComponent} at a time, so a 20,000-entry
 * catalog needs no more memory than one entry. Firmware and BIOS packages only; drivers and
 * applications are not for a BMC. A package for several devices gives one candidate per device.
 */
final class DellCatalog {
  static final long MAX_BYTES = 512L << 20;
  static final int MAX_COMPONENTS = 500_000;
  private static final int MAX_DEPTH = 32;
  private static final Pattern PCI_ID = Pattern.compile("[0-9a-f]{4}");

  private DellCatalog() {}

  /** True when {@code file} is an XML document (by name). */
  static boolean handles(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml");
  }

  /**
   * Streams the candidates of {@code catalog} to {@code sink}; file paths resolve against the catalog's
   * directory. Returns how many entries were not firmware (drivers, applications) and were left out.
   */
  static int read(Path catalog, Consumer<Candidate> sink) {
    String source = catalog.toString();
    try {
      if (Files.size(catalog) > MAX_BYTES) throw new ImportException(source + ": larger than " + (MAX_BYTES >> 20) + " MiB; not a catalog");
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read: " + e.getMessage(), e);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(catalog), 1 << 16)) {
      XMLStreamReader xml = factory().createXMLStreamReader(in);
      try {
        Reader reader = new Reader(source, catalog.toAbsolutePath().getParent(), xml, sink);
        reader.run();
        return reader.notFirmware;
      } finally {
        xml.close();
      }
    } catch (XMLStreamException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
      throw new ImportException(source + ": not a usable catalog" + where + ": " + firstLine(e.getMessage()), e);
    } catch (IOException e) {
      throw new ImportException(source + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The JDK's own StAX parser with DTDs and external entities off: no XXE, no entity expansion. */
  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(nl + 1).strip();
  }

  /** One pass over the document; the fields of the SoftwareComponent being read live here until its end tag. */
  private static final class Reader {
    private final String source;
    private final Path base;
    private final XMLStreamReader xml;
    private final Consumer<Candidate> sink;
    private int components;
    private int notFirmware;
    private int depth;

    private String path, vendorVersion, md5, packageId, type, criticality, nameText;
    private LocalDate released;
    private boolean reboot;
    private final List<String[]> devices = new ArrayList<>(); // componentID, vendor, device, subvendor, subdevice
    private final List<String> models = new ArrayList<>();
    private final List<String> systemIds = new ArrayList<>();
    private String text;

    Reader(String source, Path base, XMLStreamReader xml, Consumer<Candidate> sink) {
      this.source = source;
      this.base = base;
      this.xml = xml;
      this.sink = sink;
    }

    void run() throws XMLStreamException {
      boolean inComponent = false;
      String context = null; // the element whose Display text is wanted: Name, Criticality or Model
      while (xml.hasNext()) {
        int event = xml.next();
        switch (event) {
          case XMLStreamConstants.DTD -> throw new ImportException(source + ": has a DOCTYPE; catalogs with DTDs are refused "
              + "(no entity is ever expanded or fetched)");
          case XMLStreamConstants.ENTITY_REFERENCE -> throw new ImportException(source + ": refers to the entity &"
              + xml.getLocalName() + "; entities are refused");
          case XMLStreamConstants.START_ELEMENT -> {
            if (++depth > MAX_DEPTH) throw new ImportException(source + ": nested deeper than " + MAX_DEPTH + " elements");
            String element = xml.getLocalName();
            if (element.equals("SoftwareComponent")) {
              start();
              inComponent = true;
            } else if (inComponent) {
              switch (element) {
                case "Name", "Criticality" -> {
                  context = element;
                  if (element.equals("Criticality")) criticality = criticality(attr("value"));
                }
                case "ComponentType" -> type = attr("value");
                case "Device" -> devices.add(new String[] {attr("componentID"), null, null, null, null});
                case "PCIInfo" -> {
                  if (!devices.isEmpty()) {
                    String[] d = devices.get(devices.size() - 1);
                    d[1] = attr("vendorID");
                    d[2] = attr("deviceID");
                    d[3] = attr("subVendorID");
                    d[4] = attr("subDeviceID");
                  }
                }
                case "Model" -> {
                  context = "Model";
                  String id = attr("systemID");
                  if (id != null && !systemIds.contains(id)) systemIds.add(id);
                }
                case "Display" -> text = "";
                default -> { }
              }
            }
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (text != null && text.length() < 4096) text = text.isEmpty() ? xml.getText() : text + xml.getText();
          }
          case XMLStreamConstants.END_ELEMENT -> {
            depth--;
            String element = xml.getLocalName();
            if (element.equals("Display") && text != null && context != null) {
              String value = text.strip();
              switch (context) {
                case "Name" -> nameText = nameText == null ? value : nameText;
                case "Criticality" -> criticality = value.isEmpty() ? criticality : value;
                case "Model" -> {
                  if (!value.isEmpty() && !models.contains(value)) models.add(value);
                }
                default -> { }
              }
              text = null;
            } else if (element.equals("Name") || element.equals("Criticality") || element.equals("Model")) {
              context = null;
            } else if (element.equals("SoftwareComponent")) {
              inComponent = false;
              finish();
            }
          }
          default -> { }
        }
      }
    }

    private String attr(String name) {
      String v = xml.getAttributeValue(null, name);
      return v == null || v.isBlank() ? null : v.strip();
    }

    private void start() {
      if (++components > MAX_COMPONENTS) throw new ImportException(source + ": more than " + MAX_COMPONENTS + " SoftwareComponents");
      path = attr("path");
      vendorVersion = attr("vendorVersion");
      md5 = attr("hashMD5");
      packageId = attr("packageID") != null ? attr("packageID") : attr("releaseID");
      reboot = "true".equalsIgnoreCase(attr("rebootRequired"));
      released = date(attr("dateTime"), attr("releaseDate"));
      type = null;
      nameText = null;
      criticality = null;
      devices.clear();
      models.clear();
      systemIds.clear();
      text = null;
    }

    private void finish() {
      if (path == null || vendorVersion == null) {
        throw new ImportException(source + ": SoftwareComponent #" + components + " (" + (packageId == null ? "no packageID" : packageId)
            + ") has no " + (path == null ? "path" : "vendorVersion"));
      }
      if (type != null && !type.equals("FRMW") && !type.equals("BIOS")) {
        notFirmware++;
        return;
      }
      String display = nameText == null ? path : nameText;
      ComponentClass cls = "BIOS".equals(type) ? ComponentClass.BIOS : Classify.byName(display);
      String baseId = "dell-" + Classify.id(packageId != null ? packageId : Path.of(path).getFileName().toString());
      Reboot rebootKind = !reboot ? Reboot.NONE : cls == ComponentClass.BMC ? Reboot.BMC : Reboot.HOST;
      ApplyTime applyTime = rebootKind == Reboot.HOST ? ApplyTime.OnReset : ApplyTime.Immediate;
      Path file = base.resolve(path.replace('\\', '/'));
      String scheme = Classify.scheme(vendorVersion, "dell");
      List<String[]> each = devices.isEmpty() ? List.<String[]>of(new String[5]) : devices;
      for (String[] d : each) {
        Pci pci = d[1] == null && d[2] == null ? null : new Pci(hex(d[1]), hex(d[2]), hex(d[3]), hex(d[4]));
        Match match = new Match(null, List.of(), null, d[0], pci, models, systemIds, null);
        String id = each.size() == 1 || d[0] == null ? baseId : Classify.id(baseId + "-" + d[0]);
        sink.accept(new Candidate(source, id, display, "Dell", cls, file, vendorVersion, scheme, match, null, applyTime,
            rebootKind, criticality, released, md5));
      }
    }

    /** A PCI id as the manifest writes it (4 lower-case hex digits), or null when the catalog's is not one. */
    private static String hex(String id) {
      if (id == null) return null;
      String h = id.toLowerCase(Locale.ROOT);
      if (h.startsWith("0x")) h = h.substring(2);
      return PCI_ID.matcher(h).matches() ? h : null;
    }

    private static String criticality(String value) {
      if (value == null) return null;
      return switch (value) {
        case "0" -> "Optional";
        case "1" -> "Recommended";
        case "2" -> "Urgent";
        default -> value;
      };
    }

    private static LocalDate date(String dateTime, String releaseDate) {
      try {
        if (dateTime != null && dateTime.length() >= 10) return LocalDate.parse(dateTime.substring(0, 10));
      } catch (DateTimeParseException e) {
        // fall through to releaseDate
      }
      try {
        if (releaseDate != null)
          return LocalDate.parse(releaseDate, DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH));
      } catch (DateTimeParseException e) {
        // no usable date: the entry has none
      }
      return null;
    }
  }
}
