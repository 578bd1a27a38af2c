package io.smartupdate.firmware;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes of small images (catalog-sized files that many nodes poll), kept per version: a hit
 * costs the lstat that proves the version is still the one on disk, and no open, read or close.
 * Only files whose last change is old enough are kept (see {@link #SETTLED_NANOS}), so a write
 * after the read always gives the file a new version, and a hit never serves stale bytes.
 */
final class SmallImages {
  /** Files up to this size leave with the headers in one write anyway. */
  static final int MAX_SIZE = 16 * 1024;
  /** 512 x 16 KiB: at most 8 MiB of direct memory. */
  private static final int MAX_ENTRIES = 512;
  /**
   * ctime and mtime advance in clock ticks (a few ms): a file changed within the same tick as our
   * read could keep its version. A file unchanged for two seconds cannot.
   */
  static final long SETTLED_NANOS = 2_000_000_000L;

  private record Entry(ImageVersion version, ByteBuffer bytes) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long settledNanos;

  SmallImages() {
    this(SETTLED_NANOS);
  }

  /** For tests: how long ago the last change must be. */
  SmallImages(long settledNanos) {
    this.settledNanos = settledNanos;
  }

  /** The bytes of {@code version}, or null when they are not kept. */
  ByteBuffer get(ImageVersion version) {
    Entry entry = entries.get(version.path());
    return entry != null && entry.version.equals(version) ? entry.bytes.duplicate() : null;
  }

  /**
   * Reads {@code channel} (which holds {@code version}) and keeps its bytes when the image is small
   * and settled, checking with {@code restat} after the read that the file did not change during it.
   * Returns the bytes, or null when they were not kept (the caller then serves from the channel).
   */
  ByteBuffer fill(FileChannel channel, ImageVersion version, Restat restat) throws IOException {
    if (version.size() > MAX_SIZE || System.currentTimeMillis() * 1_000_000L - version.ctimeNanos() < settledNanos) return null;
    ByteBuffer bytes = ByteBuffer.allocateDirect((int) version.size());
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, bytes.position()) < 0) return null;
    }
    if (channel.size() != version.size() || !version.equals(restat.now())) return null;
    bytes.flip();
    if (entries.size() >= MAX_ENTRIES) entries.clear();
    ByteBuffer kept = bytes.asReadOnlyBuffer();
    entries.put(version.path(), new Entry(version, kept));
    return kept.duplicate();
  }

  /** The version on disk now. */
  interface Restat {
    ImageVersion now() throws IOException;
  }
}
