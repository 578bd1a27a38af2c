package io.smartupdate.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
  private static final String RESOURCE = "META-INF/native/libexample.so";
  @TempDir Path dir;

  @AfterEach
  void clearCache() {
    System.clearProperty(NativeLibraries.CACHE);
  }

  private URLClassLoader jarHolding(String name, byte[] content) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(RESOURCE));
      out.write(content);
      out.closeEntry();
    }
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
  }

  @Test
  void withoutACacheNothingIsUnpacked() throws IOException {
    try (URLClassLoader loader = jarHolding("a.jar", new byte[] {1, 2, 3})) {
      assertEquals(Optional.empty(), NativeLibraries.cached(loader, RESOURCE));
    }
  }

  @Test
  void unpacksOnceThenReusesTheCopyUntilTheJarChanges() throws IOException {
    System.setProperty(NativeLibraries.CACHE, dir.resolve("cache").toString());
    Path copy;
    try (URLClassLoader loader = jarHolding("v1.jar", "version one".getBytes())) {
      copy = NativeLibraries.cached(loader, RESOURCE).orElseThrow();
      assertEquals(dir.resolve("cache/native/libexample.so"), copy);
      assertArrayEquals("version one".getBytes(), Files.readAllBytes(copy));
      FileTime written = FileTime.fromMillis(1_000_000_000_000L);
      Files.setLastModifiedTime(copy, written);
      assertEquals(copy, NativeLibraries.cached(loader, RESOURCE).orElseThrow());
      assertEquals(written, Files.getLastModifiedTime(copy), "an unchanged copy is not written again");
    }
    try (URLClassLoader loader = jarHolding("v2.jar", "version two".getBytes())) {
      assertEquals(copy, NativeLibraries.cached(loader, RESOURCE).orElseThrow());
      assertArrayEquals("version two".getBytes(), Files.readAllBytes(copy), "a new library replaces the old copy");
    }
    try (OutputStream damage = Files.newOutputStream(copy)) {
      damage.write("version twX".getBytes()); // same size, other bytes
    }
    try (URLClassLoader loader = jarHolding("v3.jar", "version two".getBytes())) {
      NativeLibraries.cached(loader, RESOURCE).orElseThrow();
      assertArrayEquals("version two".getBytes(), Files.readAllBytes(copy), "a damaged copy is replaced");
    }
  }

  @Test
  void aCacheThatCannotBeWrittenLeavesTheLibraryToUnpackItself() throws IOException {
    Path blocked = Files.writeString(dir.resolve("not-a-directory"), "x");
    System.setProperty(NativeLibraries.CACHE, blocked.toString());
    try (URLClassLoader loader = jarHolding("a.jar", new byte[] {1})) {
      assertEquals(Optional.empty(), NativeLibraries.cached(loader, RESOURCE));
      assertFalse(Files.isDirectory(blocked));
    }
    assertTrue(Files.isRegularFile(blocked));
  }
}
