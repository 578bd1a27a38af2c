package io.smartupdate.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeReplacesWithTheRequestedModeAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("sub/server.key");
    AtomicFiles.write(file, "one".getBytes(), "rw-------");
    AtomicFiles.write(file, "two".getBytes(), "rw-r-----");
    assertArrayEquals("two".getBytes(), Files.readAllBytes(file));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file is left behind");
  }

  @Test
  void createNeverReplacesWhatAnotherWriterMadeFirst() throws Exception {
    Path file = dir.resolve("token");
    assertTrue(AtomicFiles.create(file, "first".getBytes(), "rw-------"));
    assertFalse(AtomicFiles.create(file, "second".getBytes(), "rw-------"));
    assertArrayEquals("first".getBytes(), Files.readAllBytes(file));
    assertEquals(List.of(file), Files.list(dir).toList());
  }
}
