package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoFileSystemTest {
  @TempDir Path dir;
  private Path repo;
  private FileSystemView view;
  private final byte[] image = "firmware-image-bytes".getBytes(StandardCharsets.US_ASCII);

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo"));
    Files.write(repo.resolve("ilo.bin"), image);
    Files.createDirectories(repo.resolve("sub"));
    Files.writeString(repo.resolve("sub/bios.bin"), "bios");
    Files.writeString(repo.resolve(".hidden"), "hidden");
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve(".git/config"), "config");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(repo.resolve("link-secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(repo.resolve("link-outside"), outside);
    Files.createSymbolicLink(repo.resolve("relative-secret.txt"), Path.of("../outside/secret.txt"));
    Files.createSymbolicLink(repo.resolve("link-inside.bin"), Path.of("ilo.bin"));
    Files.createSymbolicLink(repo.resolve("link-git"), Path.of(".git/config"));
    Files.createSymbolicLink(repo.resolve("dangling"), Path.of("no-such-file"));
    view = new RepoFileSystem(repo.toRealPath()).createFileSystemView(null);
  }

  @Test
  void listingShowsVisibleEntriesInsideTheRepositoryOnly() throws Exception {
    List<String> names = view.getWorkingDirectory().listFiles().stream().map(FtpFile::getName).toList();
    assertEquals(List.of("ilo.bin", "link-inside.bin", "sub"), names);
  }

  @Test
  void filesCarryTheirSizeAndTime() throws Exception {
    FtpFile file = view.getFile("ilo.bin");
    assertTrue(file.doesExist() && file.isFile() && file.isReadable());
    assertFalse(file.isWritable() || file.isRemovable() || file.isDirectory());
    assertEquals(image.length, file.getSize());
    assertEquals(Files.getLastModifiedTime(repo.resolve("ilo.bin")).toMillis(), file.getLastModified());
    assertEquals("/ilo.bin", file.getAbsolutePath());
  }

  @Test
  void linksLeadingOutOrToHiddenNamesDoNotExist() throws Exception {
    for (String name : List.of("link-secret.txt", "relative-secret.txt", "link-outside", "link-outside/secret.txt",
        "link-git", "dangling", ".hidden", ".git/config", "../outside/secret.txt", "/../outside/secret.txt")) {
      assertFalse(view.getFile(name).doesExist(), name);
    }
    assertFalse(view.changeWorkingDirectory("link-outside"));
    assertFalse(view.changeWorkingDirectory(".git"));
  }

  @Test
  void linkInsideTheRepositoryIsFollowed() throws Exception {
    FtpFile link = view.getFile("link-inside.bin");
    assertTrue(link.isFile());
    try (InputStream in = link.createInputStream(0)) {
      assertArrayEquals(image, in.readAllBytes());
    }
  }

  @Test
  void workingDirectoryMovesInsideButNotAboveTheRoot() throws Exception {
    assertFalse(view.changeWorkingDirectory(".."));
    assertFalse(view.changeWorkingDirectory("/.."));
    assertEquals("/", view.getWorkingDirectory().getAbsolutePath());
    assertTrue(view.changeWorkingDirectory("sub"));
    assertEquals("/sub", view.getWorkingDirectory().getAbsolutePath());
    assertTrue(view.getFile("bios.bin").isFile());
    assertFalse(view.changeWorkingDirectory("../.."));
    assertFalse(view.getFile("../../outside/secret.txt").doesExist());
    assertTrue(view.changeWorkingDirectory(".."));
    assertEquals("/", view.getWorkingDirectory().getAbsolutePath());
    assertFalse(view.changeWorkingDirectory("ilo.bin"), "a file is no directory");
  }

  @Test
  void inputStreamStartsAtTheRestartOffset() throws Exception {
    try (InputStream in = view.getFile("ilo.bin").createInputStream(9)) {
      assertArrayEquals(Arrays.copyOfRange(image, 9, image.length), in.readAllBytes());
    }
    try (InputStream in = view.getFile("ilo.bin").createInputStream(image.length + 10)) {
      assertEquals(-1, in.read());
    }
  }

  @Test
  void writesAreRefusedAtTheFileLevelToo() throws Exception {
    FtpFile file = view.getFile("ilo.bin");
    assertThrows(IOException.class, () -> file.createOutputStream(0));
    assertFalse(file.delete());
    assertFalse(file.move(view.getFile("renamed.bin")));
    assertFalse(view.getFile("newdir").mkdir());
    assertFalse(file.setLastModified(0));
    assertTrue(Files.exists(repo.resolve("ilo.bin")));
    assertFalse(Files.exists(repo.resolve("newdir")));
  }

  @Test
  void linkSwappedInAfterLookupIsNotOpened() throws Exception {
    FtpFile file = view.getFile("sub/bios.bin");
    Files.delete(repo.resolve("sub/bios.bin"));
    Files.createSymbolicLink(repo.resolve("sub/bios.bin"), dir.resolve("outside/secret.txt"));
    assertThrows(IOException.class, () -> file.createInputStream(0));
  }

  @Test
  void missingFilesAndDirectoriesListNothing() throws Exception {
    assertEquals(List.of(), view.getFile("nope").listFiles());
    assertEquals(List.of(), view.getFile("ilo.bin").listFiles());
    assertThrows(IOException.class, () -> view.getFile("nope").createInputStream(0));
    assertThrows(IOException.class, () -> view.getFile("sub").createInputStream(0));
  }
}
