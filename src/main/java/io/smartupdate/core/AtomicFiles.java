package io.smartupdate.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see the old content or the new, never a half-written one: a
 * temporary file in the same directory, synced, then renamed over the target.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private AtomicFiles() {}

  /**
   * Creates {@code target} with {@code content} unless it exists; returns false when another
   * writer was first (the file is then left as that writer made it). A hard link never replaces.
   */
  public static boolean create(Path target, byte[] content, String mode) throws IOException {
    Path tmp = synced(target, content, mode);
    try {
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Replaces {@code target} with {@code content}; {@code mode} such as "rw-r--r--", or null for owner-only. */
  public static void write(Path target, byte[] content, String mode) throws IOException {
    Path tmp = synced(target, content, mode);
    try {
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A synced temporary file next to {@code target}, holding {@code content}: hidden (a leading
   * dot), created owner-only so a key is never readable by others even briefly, then given
   * {@code mode} explicitly because the umask may have changed the mode given at creation.
   */
  private static Path synced(Path target, byte[] content, String mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    Path tmp = posix
        ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) channel.write(buffer);
        channel.force(true);
      }
      if (posix && mode != null) Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
