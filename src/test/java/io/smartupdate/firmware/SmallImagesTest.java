package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallImagesTest {
  @TempDir Path dir;

  @Test
  void aKeptImageIsServedOnlyForItsOwnVersionSoAnInPlaceRewriteIsNeverStale() throws Exception {
    Path file = Files.write(dir.resolve("catalog.json"), bytes('a', 4096));
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000)); // so the rewrite below cannot share its mtime tick
    SmallImages small = new SmallImages(-1_000_000_000L); // a ctime a hair ahead of currentTimeMillis still counts as settled
    ImageVersion first = ImageVersion.of("catalog.json", file);
    try (FileChannel channel = FileChannel.open(file)) {
      assertArrayEquals(bytes('a', 4096), array(small.fill(channel, first, () -> ImageVersion.of("catalog.json", file))));
    }
    assertArrayEquals(bytes('a', 4096), array(small.get(first)));

    // same size, same inode: only the times tell the versions apart
    Files.write(file, bytes('b', 4096), StandardOpenOption.WRITE);
    ImageVersion second = ImageVersion.of("catalog.json", file);
    assertEquals(first.inode(), second.inode());
    assertNotEquals(first, second);
    assertNull(small.get(second));
  }

  @Test
  void aFileChangedWithinTheSettleTimeIsNotKept() throws Exception {
    Path file = Files.write(dir.resolve("fresh.bin"), bytes('a', 100));
    SmallImages small = new SmallImages(60_000_000_000L);
    ImageVersion version = ImageVersion.of("fresh.bin", file);
    try (FileChannel channel = FileChannel.open(file)) {
      assertNull(small.fill(channel, version, () -> version));
    }
    assertNull(small.get(version));
  }

  @Test
  void aFileThatChangesDuringTheReadIsNotKept() throws Exception {
    Path file = Files.write(dir.resolve("moving.bin"), bytes('a', 100));
    SmallImages small = new SmallImages(-1_000_000_000L); // settled: only the reason under test can refuse it
    ImageVersion version = ImageVersion.of("moving.bin", file);
    ImageVersion later = new ImageVersion("moving.bin", 100, version.mtimeNanos() + 1, version.ctimeNanos() + 1, version.inode(), version.device());
    try (FileChannel channel = FileChannel.open(file)) {
      assertNull(small.fill(channel, version, () -> later));
    }
    assertNull(small.get(version));
  }

  @Test
  void imagesAboveTheSizeLimitAreNotKept() throws Exception {
    Path file = Files.write(dir.resolve("big.bin"), bytes('a', SmallImages.MAX_SIZE + 1));
    SmallImages small = new SmallImages(-1_000_000_000L); // settled: only the reason under test can refuse it
    ImageVersion version = ImageVersion.of("big.bin", file);
    try (FileChannel channel = FileChannel.open(file)) {
      assertNull(small.fill(channel, version, () -> version));
    }
  }

  private static byte[] bytes(char c, int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) c);
    return b;
  }

  private static byte[] array(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }
}
