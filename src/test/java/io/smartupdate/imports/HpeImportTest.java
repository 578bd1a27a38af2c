package io.smartupdate.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.baseline.ApplyTime;
import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.ManifestReader;
import io.smartupdate.baseline.Reboot;
import io.smartupdate.baseline.VersionOrder;
import io.smartupdate.baseline.Versions;
import io.smartupdate.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HpeImportTest {
  private static final String ILO_TARGET = "c0a8b5a6-0f4b-4a6e-9c0e-1a2b3c4d5e6f";
  @TempDir Path dir;

  private Baseline manifest(Path repo, String file) throws Exception {
    return ManifestReader.read(file, Baseline.DEFAULT, Files.readAllBytes(repo.resolve(file)));
  }

  @Test
  void aFwpkgIsReadInPlaceIntoOneComponentWithItsTargets() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path pkg = SyntheticCatalogs.zip(Files.createDirectories(repo.resolve("hpe")).resolve("ilo5_310.fwpkg"), Map.of(
        "payload.json", SyntheticCatalogs.payload("D7E4A1B2", ILO_TARGET.toUpperCase(), "3.10", "iLO 5", "Bmc"),
        "ilo5_310.bin", Samples.bytes(5000, 1)));
    ImportResult r = Importer.run(repo, "gen10", List.of(pkg));
    assertEquals(1, r.added());
    Component c = manifest(repo, "baselines/gen10.json").component("ilo5_310").orElseThrow();
    assertEquals("hpe/ilo5_310.fwpkg", c.file());
    assertEquals(Samples.sha256(Files.readAllBytes(pkg)), c.sha256());
    assertEquals(ComponentClass.BMC, c.componentClass());
    assertEquals("hpe-ilo", c.versionScheme());
    assertEquals(List.of(ILO_TARGET), c.match().hpeTargets());
    assertEquals("D7E4A1B2", c.match().deviceClass());
    assertEquals(Reboot.BMC, c.reboot());
    assertEquals(VersionOrder.OLDER, Versions.compare(c.versionScheme(), "2.72 Sep 04 2022", c.version()));
    try (var files = Files.list(repo.resolve("hpe"))) {
      assertEquals(1, files.count(), "nothing was extracted next to the package");
    }
  }

  @Test
  void aUefiPackageIsAppliedAtTheNextBoot() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path pkg = SyntheticCatalogs.zip(repo.resolve("U46_2.90_03_15_2026.fwpkg"), Map.of("payload.json",
        SyntheticCatalogs.payload("A1", "00000000-0000-0000-0000-000000000046", "2.90_03-15-2026", "System ROM", "Uefi")));
    Importer.run(repo, null, List.of(pkg));
    Component c = manifest(repo, "baseline.json").component("U46_2.90_03_15_2026").orElseThrow();
    assertEquals(ComponentClass.BIOS, c.componentClass());
    assertEquals("hpe-rom", c.versionScheme());
    assertEquals(ApplyTime.OnReset, c.applyTime());
    assertEquals(Reboot.HOST, c.reboot());
    assertEquals(VersionOrder.EQUAL, Versions.compare(c.versionScheme(), "U46 v2.90 (03/15/2026)", c.version()));
  }

  @Test
  void aZipSlipEntryRefusesThePackageAndNothingLandsOutside() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo/hpe"));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("payload.json", SyntheticCatalogs.payload("A1", ILO_TARGET, "3.10", "iLO 5", "Bmc"));
    entries.put("../../evil.sh", "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8));
    Path pkg = SyntheticCatalogs.zip(repo.resolve("evil.fwpkg"), entries);
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(dir.resolve("repo"), null, List.of(pkg)));
    assertEquals(pkg + ": entry \"../../evil.sh\" would land outside the package's directory (zip slip); the package is refused",
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("evil.sh")) || Files.exists(dir.resolve("repo/evil.sh")));
    assertFalse(Files.exists(dir.resolve("repo/baseline.json")));
  }

  @Test
  void aPayloadThatInflatesBeyondItsBoundIsRefused() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    byte[] bomb = new byte[8 << 20];
    Arrays.fill(bomb, (byte) ' ');
    Path pkg = SyntheticCatalogs.zip(repo.resolve("bomb.fwpkg"), Map.of("payload.json", bomb));
    assertTrue(Files.size(pkg) < 64 << 10, "compresses small");
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(pkg)));
    assertEquals(pkg + ": payload.json is larger than 1024 KiB", e.getMessage());
  }

  @Test
  void aFileThatIsNotAZipIsRefusedByName() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path pkg = Files.writeString(repo.resolve("broken.fwpkg"), "not a zip");
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(pkg)));
    assertTrue(e.getMessage().startsWith(pkg + ": not a readable zip"), e.getMessage());
  }

  @Test
  void anSppFwrepoImportsThePackagesPresentAndSkipsTheRest() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path packages = Files.createDirectories(repo.resolve("spp/packages"));
    byte[] nic = Samples.write(packages.resolve("bcm235.1.162.0.fwpkg"), 3000, 3);
    Path fwrepo = Files.createDirectories(repo.resolve("spp/fwrepodata")).resolve("fwrepo.json");
    Files.writeString(fwrepo, "{\"bcm235.1.162.0.fwpkg\":{\"date\":\"2026-02-01\",\"description\":\"Broadcom NetXtreme Ethernet "
        + "firmware\",\"deviceclass\":\"a2c1\",\"minimum_active_version\":\"230.0.0.0\",\"reboot_required\":\"yes\","
        + "\"server_power_off\":\"no\",\"target\":[\"11111111-2222-3333-4444-555555555555\"],\"version\":\"235.1.162.0\"},"
        + "\"U46_2.92_05_01_2026.fwpkg\":{\"description\":\"System ROM\",\"target\":[],\"version\":\"2.92_05-01-2026\"}}");
    ImportResult r = Importer.run(repo, null, List.of(fwrepo));
    assertEquals(1, r.added());
    assertEquals(1, r.absent());
    Component c = manifest(repo, "baseline.json").component("bcm235.1.162.0").orElseThrow();
    assertEquals("spp/packages/bcm235.1.162.0.fwpkg", c.file());
    assertEquals(Samples.sha256(nic), c.sha256());
    assertEquals(ComponentClass.NIC, c.componentClass());
    assertEquals("230.0.0.0", c.minimumActiveVersion());
    assertEquals(List.of("11111111-2222-3333-4444-555555555555"), c.match().hpeTargets());
    assertEquals(Reboot.HOST, c.reboot());
  }

  @Test
  void anSppEntryNamingAPathIsRefused() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path fwrepo = Files.writeString(repo.resolve("fwrepo.json"), "{\"../../etc/passwd\":{\"version\":\"1.0\"}}");
    ImportException e = assertThrows(ImportException.class, () -> Importer.run(repo, null, List.of(fwrepo)));
    assertEquals(fwrepo.toAbsolutePath() + ": entry \"../../etc/passwd\" is not a plain file name; it would leave the repository",
        e.getMessage());
  }
}
