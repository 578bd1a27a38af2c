package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.testing.Samples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
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

  /** repo: z.bin, a.bin, m/b.bin, hidden and unnameable files, links inside and out; outside/secret.bin beside it. */
  private Path repository() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    for (String name : List.of("z.bin", "a.bin", "m/b.bin", "k.bin", ".hidden.bin", ".git/config.bin", "bad%name.bin")) {
      Files.createDirectories(repo.resolve(name).getParent());
      Files.writeString(repo.resolve(name), "bytes of " + name);
    }
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.bin"), "secret");
    Files.createSymbolicLink(repo.resolve("link-in.bin"), Path.of("a.bin"));
    Files.createSymbolicLink(repo.resolve("link-out.bin"), outside.resolve("secret.bin"));
    Files.createSymbolicLink(repo.resolve("link-hidden.bin"), Path.of(".git/config.bin"));
    Files.createSymbolicLink(repo.resolve("dir-in"), Path.of("m"));
    Files.createSymbolicLink(repo.resolve("dir-out"), outside);
    return repo;
  }

  @Test
  void theCatalogListsVisibleImagesSortedByPathAndNothingOutsideOrHidden() throws Exception {
    Path repo = repository();
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      List<String> paths = repository.scan().stream().map(ImageVersion::path).toList();
      assertEquals(List.of("a.bin", "k.bin", "link-in.bin", "m/b.bin", "z.bin"), paths);
    }
  }

  @Test
  void opensPlainFilesAndLinksThatStayInsideOnly() throws Exception {
    Path repo = repository();
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      assertEquals("bytes of a.bin", read(repository.open("a.bin")));
      assertEquals("bytes of a.bin", read(repository.open("a.bin")), "again, from the remembered plain directory");
      assertEquals("bytes of m/b.bin", read(repository.open("m/b.bin")));
      assertEquals("bytes of a.bin", read(repository.open("link-in.bin")));
      assertEquals("bytes of m/b.bin", read(repository.open("dir-in/b.bin")), "a linked directory inside the repository");
      for (String refused : List.of("link-out.bin", "dir-out/secret.bin", "link-hidden.bin", "missing.bin", "m", "dir-in")) {
        assertThrows(Problem.NotFound.class, () -> repository.open(refused).channel().close(), refused);
      }
    }
  }

  private static String read(FirmwareRepository.OpenImage image) throws Exception {
    try (var channel = image.channel()) {
      ByteBuffer buffer = ByteBuffer.allocate((int) image.version().size());
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) { /* fill */ }
      return new String(buffer.array(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void digestsAreComputedInTheBackgroundAndKeptAcrossRestarts() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("a.bin"), "image a");
    Files.writeString(repo.resolve("b.bin"), "image b");
    Path data = dir.resolve("data");
    Path cache = data.resolve("firmware-sha256.tsv");
    try (FirmwareRepository repository = FirmwareRepository.open(repo, data)) {
      // opening starts hashing what is not cached: the cache file appears with no request asked for a digest
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
           !(Files.exists(cache) && Files.readString(cache).contains("\tb.bin")); Thread.sleep(20)) {
        assertTrue(System.nanoTime() < deadline, "open() hashed nothing in 20 s");
      }
      ImageVersion a = ImageVersion.of("a.bin", repo.resolve("a.bin"));
      assertEquals(sha256("image a"), repository.digest(a).get(20, TimeUnit.SECONDS));
      Files.delete(repo.resolve("b.bin"));
      repository.scan(); // b.bin is gone: its digest is dropped
    }
    String saved = Files.readString(cache);
    assertTrue(saved.startsWith(sha256("image a") + "\t") && !saved.contains("b.bin"), "saved on close: " + saved);
    try (FirmwareRepository restarted = FirmwareRepository.open(repo, data)) {
      ImageVersion a = ImageVersion.of("a.bin", repo.resolve("a.bin"));
      assertEquals(sha256("image a"), restarted.digestOrStartHashing(a), "known at once after a restart");
    }
  }

  @Test
  void anImageAddedWhileServingIsHashedOnFirstAsking() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      Files.writeString(repo.resolve("new.bin"), "new image");
      ImageVersion version = ImageVersion.of("new.bin", repo.resolve("new.bin"));
      assertNull(repository.digestOrStartHashing(version), "not hashed yet: the answer never waits for it");
      String sha = null;
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); sha == null; Thread.sleep(20)) {
        assertTrue(System.nanoTime() < deadline, "asking did not start hashing");
        sha = repository.digestOrStartHashing(version);
      }
      assertEquals(sha256("new image"), sha);
    }
  }

  @Test
  void aFileChangedSinceItsVersionWasReadGetsNoDigestOfTheOtherBytes() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("a.bin"), "first");
    ImageVersion first = ImageVersion.of("a.bin", repo.resolve("a.bin"));
    // Changed before the repository opens: its own scan may hash a file at once, and a digest it
    // already holds for the first bytes would be a right answer, not the case this test is about.
    Files.writeString(repo.resolve("a.bin"), "second, longer");
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      var future = repository.digest(first);
      Exception e = assertThrows(Exception.class, () -> future.get(20, TimeUnit.SECONDS));
      assertTrue(String.valueOf(e.getCause()).contains("changed while it was being hashed"), String.valueOf(e.getCause()));
      ImageVersion second = ImageVersion.of("a.bin", repo.resolve("a.bin"));
      assertEquals(sha256("second, longer"), repository.digest(second).get(20, TimeUnit.SECONDS));
    }
  }

  private static String sha256(String text) throws Exception {
    return Samples.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFileLargerThanTheHashersBufferIsHashedAndServedWhole() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    Files.write(repo.resolve("big.bin"), big);
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      ImageVersion v = ImageVersion.of("big.bin", repo.resolve("big.bin"));
      assertEquals(Samples.sha256(big), repository.digest(v).get(20, TimeUnit.SECONDS),
          "a file larger than the hasher's buffer");
      try (var image = repository.open("big.bin").channel()) {
        ByteBuffer all = ByteBuffer.allocate(big.length);
        while (all.hasRemaining() && image.read(all) >= 0) { /* fill */ }
        assertArrayEquals(big, all.array());
      }
    }
  }

  @Test
  void aDirectorySwappedForALinkOutOfTheRepositoryIsRefusedWithinTwoSeconds() throws Exception {
    Path repo = repository();
    try (FirmwareRepository repository = FirmwareRepository.open(repo, dir.resolve("data"))) {
      assertEquals("bytes of m/b.bin", read(repository.open("m/b.bin"))); // m is now trusted as plain, briefly
      Files.move(repo.resolve("m"), dir.resolve("m-old"));
      Path outside = dir.resolve("outside");
      Files.writeString(outside.resolve("b.bin"), "outside bytes");
      Files.createSymbolicLink(repo.resolve("m"), outside);
      long start = System.nanoTime();
      while (true) {
        try {
          repository.open("m/b.bin").channel().close();
        } catch (Problem.NotFound refused) {
          break;
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "m/b.bin still served through the link after 5 s");
        Thread.sleep(50);
      }
    }
  }
}
