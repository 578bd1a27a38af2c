package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code smartupdate import}: GNU and SUM forms, exit 0 imported, 1 refused (nothing written), 2 usage. */
@Timeout(60)
class ImportCommandTest {
  @TempDir Path dir;

  private Path fwrepo(String version) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Samples.write(repo.resolve("ilo5_310.fwpkg.bin"), 1000, 1);
    return Files.writeString(repo.resolve("fwrepo.json"), "{\"ilo5_310.fwpkg.bin\":{\"description\":\"iLO 5\",\"version\":\""
        + version + "\",\"target\":[\"c0a8b5a6-0f4b-4a6e-9c0e-1a2b3c4d5e6f\"]},\"absent.fwpkg\":{\"version\":\"1.0\"}}");
  }

  @Test
  void gnuFormImportsAndSaysWhatItDid() throws Exception {
    Path fwrepo = fwrepo("3.10");
    CliRun run = CliRun.of("import", "--repo", dir.resolve("repo").toString(), fwrepo.toString());
    assertEquals(0, run.code(), run.err());
    Path manifest = dir.resolve("repo").toRealPath().resolve("baseline.json");
    assertEquals("imported 1 components into " + manifest + " (1 new, 0 replaced)\n"
        + "skipped 1 catalog entries whose file is not in the repository, e.g. " + dir.resolve("repo").toRealPath().resolve("absent.fwpkg")
        + "\n", run.out());
    assertTrue(Files.readString(manifest).contains("\"versionScheme\" : \"hpe-ilo\""));
  }

  @Test
  void sumFormNamesTheBaseline() throws Exception {
    Path fwrepo = fwrepo("3.10");
    CliRun run = CliRun.of("IMPORT", "/repo", dir.resolve("repo").toString(), "/baseline=gen10", fwrepo.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(Files.exists(dir.resolve("repo/baselines/gen10.json")));
  }

  @Test
  void aRefusedInputIsOneLineAndExit1() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path xml = Files.writeString(repo.resolve("Catalog.xml"), "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Manifest>&e;</Manifest>");
    CliRun run = CliRun.of("import", "--repo", repo.toString(), xml.toString());
    assertEquals(1, run.code());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("smartupdate import: " + xml + ": has a DOCTYPE"), run.err());
    assertFalse(Files.exists(repo.resolve("baseline.json")));
  }

  @Test
  void noFileIsAUsageErrorWithExit2() {
    CliRun run = CliRun.of("import", "--repo", dir.toString());
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("smartupdate: import needs at least one FILE"), run.err());
  }
}
