package io.smartupdate.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native libraries (SQLite's, BoringSSL's) unpacked once into the start-up cache the launcher names
 * ({@code -Dsmartupdate.cache}, its {@code native/} folder, which is also {@code java.library.path}),
 * instead of into the temp directory at every start. A copy whose size and CRC differ from the jar's
 * entry (a new library version) is replaced atomically. Without a cache, or when it cannot be
 * written, nothing happens here and each library unpacks itself as before.
 */
public final class NativeLibraries {
  /** The system property naming the cache directory. */
  public static final String CACHE = "smartupdate.cache";
  private static final Logger log = LoggerFactory.getLogger(NativeLibraries.class);

  private NativeLibraries() {}

  /** The cache's native folder, when the launcher named a cache. */
  public static Optional<Path> folder() {
    String cache = System.getProperty(CACHE);
    return cache == null || cache.isBlank() ? Optional.empty() : Optional.of(Path.of(cache, "native"));
  }

  /**
   * The cached copy of class-path {@code resource} in {@link #folder()}, unpacked now if missing or
   * different; empty when there is no cache, no such resource, or the copy cannot be made.
   */
  public static Optional<Path> cached(ClassLoader loader, String resource) {
    Optional<Path> folder = folder();
    URL url = loader.getResource(resource);
    if (folder.isEmpty() || url == null) return Optional.empty();
    Path target = folder.get().resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try {
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection jar)) return Optional.empty();
      JarEntry entry = jar.getJarEntry();
      if (entry.getSize() < 0 || entry.getCrc() < 0) return Optional.empty();
      if (!matches(target, entry.getSize(), entry.getCrc())) {
        byte[] bytes;
        try (InputStream in = jar.getInputStream()) {
          bytes = in.readAllBytes();
        }
        AtomicFiles.write(target, bytes, "rwxr-xr-x");
        log.debug("unpacked {} into {}", resource, target);
      }
      return Optional.of(target);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot cache {} in {}: {}; the library unpacks itself", resource, folder.get(), e.toString());
      return Optional.empty();
    }
  }

  static boolean matches(Path file, long size, long crc) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) != size) return false;
    CRC32 sum = new CRC32();
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      while (channel.read(buffer.clear()) > 0) sum.update(buffer.flip());
    }
    return sum.getValue() == crc;
  }
}
