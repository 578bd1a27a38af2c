package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.StartupException;
import io.smartupdate.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The manifest is read strictly at start, re-read when it changes, and each component's file is checked against its entry. */
@Timeout(60)
class RepositoryManifestTest {
  @TempDir Path dir;
  Path repo;
  Path data;
  byte[] image;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo"));
    data = Files.createDirectories(dir.resolve("data"));
    image = Samples.write(Files.createDirectories(repo.resolve("hpe")).resolve("ilo5.bin"), 4096, 1);
  }

  static String manifest(String id, String file, String sha, long size) {
    return "{\"components\":[{\"id\":\"" + id + "\",\"class\":\"bmc\",\"file\":\"" + file + "\",\"sha256\":\"" + sha
        + "\",\"size\":" + size + ",\"version\":\"3.10\",\"versionScheme\":\"hpe-ilo\"}]}";
  }

  @Test
  void aRepositoryWithoutAManifestHasNoManifestHealth() {
    try (FirmwareRepository r = FirmwareRepository.open(repo, data)) {
      assertNull(r.manifestHealth());
    }
  }

  @Test
  void aComponentWhoseFileIsAbsentStopsTheStartNamingFileEntryAndField() throws Exception {
    Files.writeString(repo.resolve("baseline.json"), manifest("ilo5", "hpe/ilo6.bin", Samples.sha256(image), 4096));
    StartupException e = assertThrows(StartupException.class, () -> FirmwareRepository.open(repo, data));
    assertEquals(repo.toRealPath().resolve("baseline.json") + ": entry \"ilo5\", field \"file\": hpe/ilo6.bin is not in the repository",
        e.getMessage());
  }

  @Test
  void aSizeThatDiffersStopsTheStart() throws Exception {
    Files.createDirectories(repo.resolve("baselines"));
    Files.writeString(repo.resolve("baselines/gen10.json"), manifest("ilo5", "hpe/ilo5.bin", Samples.sha256(image), 4097));
    StartupException e = assertThrows(StartupException.class, () -> FirmwareRepository.open(repo, data));
    assertEquals(repo.toRealPath().resolve("baselines/gen10.json") + ": entry \"ilo5\", field \"size\": size of hpe/ilo5.bin is "
        + "4096 bytes, the entry says 4097", e.getMessage());
  }

  @Test
  void aFileWhoseShaDiffersIsAMismatchInHealth() throws Exception {
    Files.writeString(repo.resolve("baseline.json"), manifest("ilo5", "hpe/ilo5.bin", "0".repeat(64), 4096));
    try (FirmwareRepository r = FirmwareRepository.open(repo, data)) {
      Map<String, Object> health = awaitHashed(r);
      assertEquals(List.of(Map.of("baseline", "default", "id", "ilo5", "file", "hpe/ilo5.bin", "problem",
          "sha-256 of hpe/ilo5.bin is " + Samples.sha256(image) + ", the entry says " + "0".repeat(64))), health.get("mismatches"));
      assertEquals(List.of(), r.baseline("default").orElseThrow().components(), "never offered as that component");
      assertTrue(r.baseline("gen10").isEmpty());
    }
  }

  @Test
  void aChangedManifestIsReadAgainAndABrokenOneKeepsThePrevious() throws Exception {
    Path manifest = repo.resolve("baseline.json");
    Files.writeString(manifest, manifest("ilo5", "hpe/ilo5.bin", Samples.sha256(image), 4096));
    try (FirmwareRepository r = FirmwareRepository.open(repo, data)) {
      assertEquals(List.of(), awaitHashed(r).get("mismatches"));

      Files.writeString(manifest, manifest("ilo5-new", "hpe/ilo5.bin", "1".repeat(64), 4096));
      Map<String, Object> changed = await(r, h -> !((List<?>) h.get("mismatches")).isEmpty());
      assertEquals("ilo5-new", ((List<?>) changed.get("mismatches")).stream().map(m -> ((Map<?, ?>) m).get("id")).findFirst().orElseThrow());

      Files.writeString(manifest, "{\"components\":[{\"id\":\"x\",\"clas\":\"bmc\"}]}");
      Map<String, Object> broken = await(r, h -> h.containsKey("reloadError"));
      assertEquals(manifest.toRealPath() + ": entry \"x\", field \"clas\": unknown field (allowed: applyTime, class, criticality, "
          + "file, id, match, minimumActiveVersion, name, order, reboot, releaseDate, requires, sha256, size, vendor, version, "
          + "versionScheme)", broken.get("reloadError"));
      assertEquals(1, broken.get("components"), "the previous manifest stays in use: " + broken);
    }
  }

  /** The health once no file is still being hashed. */
  private static Map<String, Object> awaitHashed(FirmwareRepository r) throws InterruptedException {
    return await(r, h -> Long.valueOf(0).equals(h.get("pending")));
  }

  /** The health once {@code condition} holds (it is recomputed at most once a second). */
  private static Map<String, Object> await(FirmwareRepository r, Predicate<Map<String, Object>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      Map<String, Object> health = r.manifestHealth();
      if (condition.test(health)) return health;
      assertTrue(System.nanoTime() < deadline, "not reached: " + health);
      Thread.sleep(20);
    }
  }
}
