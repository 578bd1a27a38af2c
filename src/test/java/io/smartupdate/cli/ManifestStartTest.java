package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An unusable manifest stops the server start with exit 2 and one line naming the file, the entry and the field. */
@Timeout(60)
class ManifestStartTest {
  @TempDir Path dir;

  @Test
  void anUnknownFieldStopsTheStartWithExit2AndOneLine() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("baseline.json"), "{\"components\":[{\"id\":\"ilo5\",\"class\":\"bmc\",\"fiel\":\"x.bin\"}]}");
    CliRun run = CliRun.of("--port", "0", "--ssl-port", "0", "--bind", "127.0.0.1", "--repo", repo.toString(),
        "--certs", dir.resolve("certs").toString(), "--data", dir.resolve("data").toString());
    assertEquals(2, run.code(), run.err());
    assertEquals("smartupdate: " + repo.toRealPath().resolve("baseline.json") + ": entry \"ilo5\", field \"fiel\": unknown field "
        + "(allowed: applyTime, class, criticality, file, id, match, minimumActiveVersion, name, order, reboot, releaseDate, "
        + "requires, sha256, size, vendor, version, versionScheme)\n", run.err());
  }
}
