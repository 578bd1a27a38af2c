package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageVersionTest {
  @TempDir Path dir;

  @Test
  void aRewriteInPlaceIsTellableFromARenameOverTheFileOrADeletion() throws Exception {
    Path file = dir.resolve("rom.bin");
    Files.writeString(file, "version one");
    ImageVersion one = ImageVersion.of("rom.bin", file);
    assertFalse(one.rewrittenIn(file), "unchanged");
    Files.writeString(dir.resolve(".rom.new"), "version two");
    Files.move(dir.resolve(".rom.new"), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertFalse(one.rewrittenIn(file), "a new inode renamed over it: the open one still holds version one");
    ImageVersion two = ImageVersion.of("rom.bin", file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write("VERSION".getBytes()); // same inode and size, new bytes
    }
    assertTrue(two.rewrittenIn(file), "same inode, other bytes");
    Files.delete(file);
    assertFalse(two.rewrittenIn(file), "deleted: the open inode keeps its bytes");
  }

  @Test
  void theEtagAndSameAsFollowSizeTimesAndInode() throws Exception {
    Path file = dir.resolve("rom.bin");
    Files.writeString(file, "0123456789");
    ImageVersion v = ImageVersion.of("rom.bin", file);
    assertEquals(10, v.size());
    assertTrue(v.sameAs(ImageVersion.of("rom.bin", file)));
    assertFalse(v.sameAs(null));
    assertEquals(v.etag(), ImageVersion.of("rom.bin", file).etag());
    assertTrue(v.etag().startsWith("\"a-") && v.etag().endsWith("\""), v.etag());
    for (ImageVersion other : new ImageVersion[] {
        new ImageVersion("rom.bin", 11, v.mtimeNanos(), v.ctimeNanos(), v.inode(), v.device()),
        new ImageVersion("rom.bin", 10, v.mtimeNanos() + 1, v.ctimeNanos(), v.inode(), v.device()),
        new ImageVersion("rom.bin", 10, v.mtimeNanos(), v.ctimeNanos() + 1, v.inode(), v.device()),
        new ImageVersion("rom.bin", 10, v.mtimeNanos(), v.ctimeNanos(), v.inode() + 1, v.device()),
        new ImageVersion("rom.bin", 10, v.mtimeNanos(), v.ctimeNanos(), v.inode(), v.device() + 1)}) {
      assertFalse(v.sameAs(other), other.toString());
      if (other.device() == v.device()) assertNotEquals(v.etag(), other.etag(), other.toString());
    }
  }

  @Test
  void lastModifiedIsTheMtimeInWholeSecondsEvenBefore1970() throws Exception {
    Path file = dir.resolve("rom.bin");
    Files.writeString(file, "x");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-21T10:00:00.750Z")));
    ImageVersion v = ImageVersion.of("rom.bin", file);
    assertEquals(Instant.parse("2026-11-21T10:00:00.750Z"), v.modified());
    assertEquals(Instant.parse("2026-11-21T10:00:00Z").getEpochSecond(), v.modifiedSeconds());
    ImageVersion old = new ImageVersion("rom.bin", 1, -750_000_000L, 0, v.inode(), v.device()); // 0.75 s before the epoch
    assertEquals(Instant.parse("1969-12-31T23:59:59.250Z"), old.modified());
    assertEquals(-1, old.modifiedSeconds(), "floor, not truncation toward zero");
  }

  @Test
  void onlyARegularFileHasARegularFileVersion() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("rom.bin"), "x");
    Files.createSymbolicLink(dir.resolve("link.bin"), dir.resolve("rom.bin"));
    assertEquals(1, ImageVersion.ofRegularFile("rom.bin", dir.resolve("rom.bin")).size());
    assertNull(ImageVersion.ofRegularFile("sub", dir.resolve("sub")));
    assertNull(ImageVersion.ofRegularFile("link.bin", dir.resolve("link.bin")), "a symlink is not followed here");
  }
}
