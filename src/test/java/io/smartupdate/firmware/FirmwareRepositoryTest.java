package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smartupdate.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareRepositoryTest {
  @TempDir Path dir;

  @Test
  void aSymlinkLoopIsLeftOutOfTheCatalogInsteadOfFailingIt() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("ilo.bin"), "image");
    Files.createSymbolicLink(repo.resolve("loop.bin"), Path.of("loop.bin"));
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      assertEquals(List.of("ilo.bin"), repository.scan().stream().map(ImageVersion::path).toList());
      assertThrows(Problem.NotFound.class, () -> repository.open("loop.bin"));
    }
  }
}
