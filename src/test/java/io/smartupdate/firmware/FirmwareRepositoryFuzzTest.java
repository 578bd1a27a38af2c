package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smartupdate.core.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes {@code FirmwareRepository.open(rawTail)} on a real repository that holds hidden files,
 * a {@code .git/config}, and symlinks leading out of it and into {@code .git}. The input's bytes,
 * read as UTF-8, are the raw URL tail. Invariant: the only outcomes are 400/404/409-style
 * problems ({@link Problem.BadInput}, {@link Problem.NotFound}, {@link Problem.Changed}), an
 * {@link IOException}, or an opened file that is one of the servable files, whose real path lies
 * inside the repository without passing a hidden name. Seeds: {@code
 * src/test/resources/io/smartupdate/firmware/FirmwareRepositoryFuzzTestInputs/open}.
 */
class FirmwareRepositoryFuzzTest {
  private static Path base;
  private static Path realRoot;
  private static FirmwareRepository repository;
  /** Real path of every file a client may get, with its content. */
  private static Map<Path, String> servable;

  @BeforeAll
  static void repository() throws IOException {
    base = Files.createTempDirectory("su-fuzz-repo");
    Path repo = Files.createDirectories(base.resolve("repo"));
    Path outside = Files.createDirectories(base.resolve("outside"));
    Path data = Files.createDirectories(base.resolve("data"));
    Files.writeString(outside.resolve("secret.bin"), "outside");
    Files.createDirectories(repo.resolve("sub/deeper"));
    Files.createDirectories(repo.resolve(".git"));
    Files.createDirectories(repo.resolve("sub/.hidden-dir"));
    Files.writeString(repo.resolve("a.bin"), "a");
    Files.writeString(repo.resolve("sub/b.bin"), "b");
    Files.writeString(repo.resolve("sub/deeper/c.bin"), "c");
    Files.writeString(repo.resolve("a b.bin"), "space");
    Files.writeString(repo.resolve("café.bin"), "cafe");
    Files.writeString(repo.resolve("v1..2.bin"), "dots");
    Files.writeString(repo.resolve("100%.bin"), "percent");
    Files.writeString(repo.resolve("back\\slash.bin"), "backslash");
    Files.writeString(repo.resolve(".hidden.bin"), "hidden");
    Files.writeString(repo.resolve("sub/.hidden-dir/d.bin"), "hidden dir");
    Files.writeString(repo.resolve(".git/config"), "[core]");
    Files.createSymbolicLink(repo.resolve("outside.bin"), outside.resolve("secret.bin"));
    Files.createSymbolicLink(repo.resolve("outdir"), outside);
    Files.createSymbolicLink(repo.resolve("relative-out.bin"), Path.of("../outside/secret.bin"));
    Files.createSymbolicLink(repo.resolve("gitconfig"), Path.of(".git/config"));
    Files.createSymbolicLink(repo.resolve("gitdir"), Path.of(".git"));
    Files.createSymbolicLink(repo.resolve("sub/hidden.bin"), Path.of(".hidden-dir/d.bin"));
    Files.createSymbolicLink(repo.resolve("alias.bin"), Path.of("sub/b.bin"));
    Files.createSymbolicLink(repo.resolve("dirlink"), Path.of("sub"));
    Files.createSymbolicLink(repo.resolve("dangling.bin"), Path.of("nowhere.bin"));
    realRoot = repo.toRealPath();
    servable = Map.of(
        realRoot.resolve("a.bin"), "a",
        realRoot.resolve("sub/b.bin"), "b",
        realRoot.resolve("sub/deeper/c.bin"), "c",
        realRoot.resolve("a b.bin"), "space",
        realRoot.resolve("café.bin"), "cafe",
        realRoot.resolve("v1..2.bin"), "dots");
    // A symlink loop must not stop the scan (it is skipped) nor confuse open(rawTail).
    Files.createSymbolicLink(repo.resolve("loop.bin"), Path.of("loop.bin"));
    repository = FirmwareRepository.open(repo, data);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (repository != null) repository.close();
    if (base == null) return;
    try (Stream<Path> files = Files.walk(base)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"a.bin", "sub/", "b.bin", "deeper/c.bin", "outside.bin", "outdir/", "secret.bin", "gitconfig",
      "gitdir/", "config", ".git/", "dirlink/", "alias.bin", "hidden.bin", ".hidden-dir/", "loop.bin", "dangling.bin",
      "%2e", "%2f", "%2F", "%20", "%25", "%5c", "..", "caf%C3%A9.bin", "100%25.bin"})
  void open(byte[] input) throws IOException {
    String raw = new String(input, StandardCharsets.UTF_8);
    FirmwareRepository.OpenImage image;
    try {
      image = repository.open(raw);
    } catch (Problem.BadInput | Problem.NotFound | Problem.Changed | IOException expected) {
      return;
    }
    if (image.channel() == null) { // a small, settled image served from memory: no file was opened
      String expected = servable.get(image.file().toRealPath());
      assertTrue(expected != null, raw + " served " + image.file() + " from memory, which is not servable");
      assertEquals(expected, StandardCharsets.UTF_8.decode(image.bytes().duplicate()).toString(), raw);
      return;
    }
    try (var channel = image.channel()) {
      Path real = image.file().toRealPath();
      assertTrue(real.startsWith(realRoot), raw + " opened " + real + ", outside " + realRoot);
      assertTrue(RepositoryPolicy.contains(realRoot, real), raw + " opened " + real + ", through a hidden name");
      String expected = servable.get(real);
      assertTrue(expected != null, raw + " opened " + real + ", which is not servable");
      ByteBuffer bytes = ByteBuffer.allocate(64);
      channel.read(bytes, 0);
      assertEquals(expected, new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8), raw);
      assertEquals(channel.size(), image.version().size(), raw);
    }
  }
}
