package io.smartupdate.firmware;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The 64 KiB direct buffers HTTPS downloads stage file bytes in, reused from one download to the
 * next: a direct buffer dropped after each download is freed only when a collection finds it, so
 * under -Xmn12m they piled up in the old generation to -XX:MaxDirectMemorySize (RSS, then a
 * System.gc() on an IO thread at the cap). At most {@link #IDLE} wait here; past the direct-memory
 * cap a heap buffer serves, only slower.
 */
final class StagingBuffers {
  /** A multiple of the 16 KiB TLS record, so the engine writes full records. */
  static final int SIZE = 64 * 1024;
  /** Idle buffers kept: 8 MiB, enough for the downloads of a busy run to reuse without allocating. */
  static final int IDLE = 128;
  private static final Queue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger idleCount = new AtomicInteger();

  private StagingBuffers() {}

  /** A cleared buffer of {@link #SIZE} bytes: an idle one, else a new direct one, else (direct memory full) a heap one. */
  static ByteBuffer take() {
    ByteBuffer reused = idle.poll();
    if (reused != null) {
      idleCount.decrementAndGet();
      return reused.clear();
    }
    try {
      return ByteBuffer.allocateDirect(SIZE);
    } catch (OutOfMemoryError directMemoryFull) {
      return ByteBuffer.allocate(SIZE);
    }
  }

  /** Gives back a buffer its writer no longer touches; a heap one, or one past {@link #IDLE}, is left to the collector. */
  static void give(ByteBuffer buffer) {
    if (!buffer.isDirect() || buffer.capacity() != SIZE) return;
    if (idleCount.incrementAndGet() > IDLE) {
      idleCount.decrementAndGet();
      return;
    }
    idle.offer(buffer);
  }

  /** Buffers waiting to be reused (tests). */
  static int idle() {
    return idleCount.get();
  }
}
