package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepoPathsTest {
  @ParameterizedTest
  @CsvSource({
      "/, ilo.bin, /ilo.bin",
      "/, /ilo.bin, /ilo.bin",
      "/sub, bios.bin, /sub/bios.bin",
      "/sub, /bios.bin, /bios.bin",
      "/sub, .., /",
      "/sub/deeper, ../x.bin, /sub/x.bin",
      "/sub, ./a/./b/, /sub/a/b",
      "/sub, a//b, /sub/a/b",
      "/sub, ~, /",
      "/sub, ~/x.bin, /x.bin",
      "/, sub\\bios.bin, /sub/bios.bin",
      "/sub, /, /",
      "/, ./, /",
  })
  void resolvesInsideTheRoot(String cwd, String argument, String expected) {
    assertEquals(expected, RepoPaths.resolve(cwd, argument));
  }

  @Test
  void emptyOrMissingArgumentIsTheWorkingDirectory() {
    assertEquals("/sub", RepoPaths.resolve("/sub", null));
    assertEquals("/sub", RepoPaths.resolve("/sub", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "/..", "../secret.txt", "/../secret.txt", "sub/../../secret.txt", "..\\secret.txt",
      "~/../x", "/sub/../..", "a\u0000b", "a\nb", "x\u007f"})
  void climbingAboveTheRootOrControlCharactersAreRefused(String argument) {
    assertNull(RepoPaths.resolve("/", argument));
  }

  @Test
  void refusedFromASubdirectoryToo() {
    assertNull(RepoPaths.resolve("/sub", "../.."));
    assertNull(RepoPaths.resolve("/sub", "../../etc/passwd"));
  }

  @Test
  void overlongArgumentIsRefused() {
    assertNull(RepoPaths.resolve("/", "a/".repeat(3000)));
  }

  @Test
  void namesAndChildren() {
    assertEquals("/", RepoPaths.name("/"));
    assertEquals("bios.bin", RepoPaths.name("/sub/bios.bin"));
    assertEquals("/x", RepoPaths.child("/", "x"));
    assertEquals("/sub/x", RepoPaths.child("/sub", "x"));
  }

  @Test
  void printableReplacesControlCharacters() {
    assertEquals("a?b", RepoPaths.printable("a\u0000b"));
    assertEquals("", RepoPaths.printable(null));
  }
}
