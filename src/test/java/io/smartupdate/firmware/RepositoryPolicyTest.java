package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryPolicyTest {
  @Test
  void hiddenNamesAreNotVisible() {
    assertTrue(RepositoryPolicy.visiblePath("/"));
    assertTrue(RepositoryPolicy.visiblePath("/sub/ilo.bin"));
    assertFalse(RepositoryPolicy.visiblePath("/.git"));
    assertFalse(RepositoryPolicy.visiblePath("/sub/.secret/x.bin"));
    assertFalse(RepositoryPolicy.visiblePath("/..."));
  }

  @Test
  void containmentIsByPathNamesNotByStringPrefix() {
    Path root = Path.of("/srv/repo");
    assertTrue(RepositoryPolicy.contains(root, root));
    assertTrue(RepositoryPolicy.contains(root, Path.of("/srv/repo/sub/ilo.bin")));
    assertFalse(RepositoryPolicy.contains(root, Path.of("/srv/repo-evil/ilo.bin")));
    assertFalse(RepositoryPolicy.contains(root, Path.of("/srv")));
    assertFalse(RepositoryPolicy.contains(root, Path.of("/etc/passwd")));
    assertFalse(RepositoryPolicy.contains(root, Path.of("/srv/repo/.git/config")));
  }

  @Test
  void unprintableNamesAreNotVisible() {
    assertTrue(RepositoryPolicy.visible("ilo5_310.bin"));
    assertFalse(RepositoryPolicy.visible("a%2fb.bin"));
    assertFalse(RepositoryPolicy.visible("a\\b.bin"));
    assertFalse(RepositoryPolicy.visible("tab\there.bin"));
    assertFalse(RepositoryPolicy.visiblePath("sub/a\u007fb.bin"));
  }

  @Test
  void realRootNamesTheMissingDirectoryAndTheOption(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("no-such-repo");
    StartupException e = assertThrows(StartupException.class, () -> RepositoryPolicy.realRoot(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("/repo"), e.getMessage());
    Path file = Files.createFile(dir.resolve("file"));
    assertTrue(assertThrows(StartupException.class, () -> RepositoryPolicy.realRoot(file)).getMessage().contains("not a directory"));
  }
}
