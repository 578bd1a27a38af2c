package io.smartupdate.imports;

import static io.smartupdate.imports.SyntheticCatalogs.component;
import static io.smartupdate.imports.SyntheticCatalogs.device;
import static io.smartupdate.imports.SyntheticCatalogs.model;
import static io.smartupdate.imports.SyntheticCatalogs.pci;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.baseline.Pci;
import io.smartupdate.baseline.Reboot;
import io.smartupdate.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DellCatalogImportTest {
  @TempDir Path dir;
  Path repo;
  byte[] idrac;
  byte[] nic;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo"));
    idrac = Samples.write(Files.createDirectories(repo.resolve("FOLDER0001/1")).resolve("iDRAC_7.10.30.00_A00.EXE"), 3000, 1);
    nic = Samples.write(Files.createDirectories(repo.resolve("FOLDER0002/1")).resolve("Network_Firmware_22.91.5.EXE"), 2000, 2);
  }

  private Path catalog(String idracMd5) throws Exception {
    String components = component("ABC12", "FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE", "7.10.30.00", idracMd5, "FRMW",
        "iDRAC with Lifecycle Controller", device("25227", null), model("0A6B", "R740") + model("0A6C", "R740xd"), false)
        + component("NIC34", "FOLDER0002\\1\\Network_Firmware_22.91.5.EXE", "22.91.5", SyntheticCatalogs.md5(nic), "FRMW",
            "Broadcom NetXtreme Family Firmware", device("102193", pci("14E4", "16D7", "1028", "0A5F"))
                + device("102194", pci("14e4", "16D8", "1028", "0A60")), model("0A6B", "R740"), true)
        + component("DRV56", "FOLDER0003/1/Driver.EXE", "1.0", "00", "DRVR", "Some driver", "", "", false)
        + component("GONE7", "FOLDER0004/1/BIOS_2.21.2.EXE", "2.21.2", "00", "BIOS", "BIOS", "", "", true);
    return SyntheticCatalogs.dellCatalog(repo.resolve("Catalog.xml"), "", components);
  }

  @Test
  void aUtf16CatalogBecomesManifestEntriesWithDevicesSystemsAndRules() throws Exception {
    ImportResult r = Importer.run(repo, null, List.of(catalog(SyntheticCatalogs.md5(idrac))));
    assertEquals(3, r.added());
    assertEquals(1, r.absent(), "the BIOS package is not in the repository");
    assertEquals(1, r.notFirmware(), "the driver is left out");
    Baseline b = ManifestReader.read("baseline.json", Baseline.DEFAULT, Files.readAllBytes(repo.resolve("baseline.json")));
    Component i = b.component("dell-ABC12").orElseThrow();
    assertEquals("FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE", i.file());
    assertEquals(Samples.sha256(idrac), i.sha256());
    assertEquals(3000, i.size());
    assertEquals(ComponentClass.BMC, i.componentClass());
    assertEquals("dell", i.versionScheme());
    assertEquals("25227", i.match().dellComponentId());
    assertEquals(List.of("R740", "R740xd"), i.match().models());
    assertEquals(List.of("0A6B", "0A6C"), i.match().systemIds());
    assertEquals("Recommended", i.criticality());
    assertEquals(LocalDate.of(2026, 3, 15), i.releaseDate());
    assertEquals(Reboot.NONE, i.reboot());
    Component n = b.component("dell-NIC34-102194").orElseThrow();
    assertEquals(ComponentClass.NIC, n.componentClass());
    assertEquals(new Pci("14e4", "16d8", "1028", "0a60"), n.match().pci());
    assertEquals("FOLDER0002/1/Network_Firmware_22.91.5.EXE", n.file(), "Windows separators in the catalog's path are read");
    assertEquals(Reboot.HOST, n.reboot());
    assertEquals(ApplyTime.OnReset, n.applyTime());
    assertTrue(b.component("dell-NIC34-102193").isPresent());
  }

  @Test
  void aFileWhoseMd5DiffersIsRefusedByNameAndNothingIsWritten() throws Exception {
    byte[] before = "{\"components\":[]}\n".getBytes();
    Files.write(repo.resolve("baseline.json"), before);
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(catalog("0".repeat(32)))));
    assertEquals(repo.toRealPath().resolve("Catalog.xml") + ": FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE has MD5 "
        + SyntheticCatalogs.md5(idrac) + " but the catalog says " + "0".repeat(32) + "; the file is not the one the catalog "
        + "describes (tampered or damaged), nothing was imported", e.getMessage().replace(repo.toString(), repo.toRealPath().toString()));
    assertArrayEquals(before, Files.readAllBytes(repo.resolve("baseline.json")));
    try (var files = Files.list(repo)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".baseline.json")), "no temporary file left behind");
    }
  }

  @Test
  void aDoctypeWithAnExternalEntityIsRefusedAndNothingIsFetched() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0");
    String xxe = "<!DOCTYPE Manifest [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n";
    Path catalog = SyntheticCatalogs.dellCatalog(repo.resolve("Catalog.xml"), xxe,
        component("X1", "FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE", "&xxe;", SyntheticCatalogs.md5(idrac), "FRMW", "iDRAC", "", "", false));
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(catalog)));
    assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    assertFalse(Files.exists(repo.resolve("baseline.json")));
  }

  @Test
  void entityExpansionIsRefused() throws Exception {
    StringBuilder lol = new StringBuilder("<!DOCTYPE Manifest [<!ENTITY lol \"lol\">");
    for (int i = 1; i < 10; i++) lol.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
    lol.append("]>\n");
    Path catalog = SyntheticCatalogs.dellCatalog(repo.resolve("Catalog.xml"), lol.toString(),
        component("X1", "FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE", "&lol9;", SyntheticCatalogs.md5(idrac), "FRMW", "iDRAC", "", "", false));
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(catalog)));
    assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
  }

  @Test
  void anUndeclaredEntityIsNotAVersion() throws Exception {
    Path catalog = SyntheticCatalogs.dellCatalog(repo.resolve("Catalog.xml"), "",
        component("X1", "FOLDER0001/1/iDRAC_7.10.30.00_A00.EXE", "&lol;", SyntheticCatalogs.md5(idrac), "FRMW", "iDRAC", "", "", false));
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(catalog)));
    assertTrue(e.getMessage().startsWith(catalog.toString() + ": not a usable catalog at line"), e.getMessage());
  }

  @Test
  void aPathLeavingTheRepositoryIsRefused() throws Exception {
    Files.write(dir.resolve("outside.EXE"), idrac);
    Path catalog = SyntheticCatalogs.dellCatalog(repo.resolve("Catalog.xml"), "",
        component("X1", "../outside.EXE", "7.10.30.00", SyntheticCatalogs.md5(idrac), "FRMW", "iDRAC", "", "", false));
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(catalog)));
    assertTrue(e.getMessage().contains("outside.EXE is not a file inside the repository"), e.getMessage());
  }

  @Test
  void aSecondImportReplacesEntriesByIdAndKeepsOthers() throws Exception {
    Files.writeString(repo.resolve("baseline.json"), "{\"components\":[{\"id\":\"mine\",\"class\":\"other\",\"file\":"
        + "\"FOLDER0002/1/Network_Firmware_22.91.5.EXE\",\"sha256\":\"" + Samples.sha256(nic) + "\",\"size\":2000,\"version\":\"1\"}]}");
    Path catalog = catalog(SyntheticCatalogs.md5(idrac));
    assertEquals(3, Importer.run(repo, null, List.of(catalog)).added());
    ImportResult again = Importer.run(repo, null, List.of(catalog));
    assertEquals(0, again.added());
    assertEquals(3, again.replaced());
    Baseline b = ManifestReader.read("baseline.json", Baseline.DEFAULT, Files.readAllBytes(repo.resolve("baseline.json")));
    assertEquals(List.of("mine", "dell-ABC12", "dell-NIC34-102193", "dell-NIC34-102194"),
        b.components().stream().map(Component::id).toList());
  }
}
