package io.smartupdate.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One version of one file: what makes a cached digest or an ETag valid. The inode and ctime are
 * part of it because copy tools that preserve mtime and size (rsync -t, cp -p) would otherwise
 * hide a replacement.
 */
record ImageVersion(String path, long size, long mtimeNanos, long ctimeNanos, long inode, long device) {
  ImageVersion {
    Objects.requireNonNull(path, "path == null");
  }

  /** Reads the version of {@code file}, published as {@code relative}; follows symlinks. */
  static ImageVersion of(String relative, Path file) throws IOException {
    return of(relative, Files.readAttributes(file, ATTRIBUTES));
  }

  /** The version of {@code file} itself (not following a symlink), or null when it is not a regular file. */
  static ImageVersion ofRegularFile(String relative, Path file) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES + ",isRegularFile", LinkOption.NOFOLLOW_LINKS);
    return Boolean.TRUE.equals(a.get("isRegularFile")) ? of(relative, a) : null;
  }

  private static final String ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,dev";

  private static ImageVersion of(String relative, Map<String, Object> a) {
    return new ImageVersion(relative, (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
        nanos((FileTime) a.get("ctime")), (Long) a.get("ino"), (Long) a.get("dev"));
  }

  private static long nanos(FileTime time) {
    Instant i = time.toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Same bytes on disk: same inode, size and times. */
  boolean sameAs(ImageVersion other) {
    return other != null && size == other.size && mtimeNanos == other.mtimeNanos
        && ctimeNanos == other.ctimeNanos && inode == other.inode && device == other.device;
  }

  /**
   * Whether the file at {@code file} is this version's inode with other bytes: rewritten in place.
   * A new inode renamed over it, or a deleted file, is not: the open inode still holds these bytes.
   */
  boolean rewrittenIn(Path file) {
    try {
      ImageVersion now = of(path, file);
      return now.inode == inode && now.device == device && !now.sameAs(this);
    } catch (IOException e) {
      return false;
    }
  }

  Instant modified() {
    return Instant.ofEpochSecond(Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L));
  }

  /** Last-Modified has one-second resolution. */
  long modifiedSeconds() {
    return Math.floorDiv(mtimeNanos, 1_000_000_000L);
  }

  /** Strong validator: changes whenever the bytes may have changed. */
  String etag() {
    return "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtimeNanos) + "-" + Long.toHexString(inode ^ ctimeNanos) + "\"";
  }
}
