package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagingBuffersTest {
  @Test
  void aBufferGivenBackIsTheNextOneTakenClearedAndTheIdleOnesAreCapped() {
    List<ByteBuffer> drained = new ArrayList<>();
    while (StagingBuffers.idle() > 0) drained.add(StagingBuffers.take()); // other tests in this JVM may have left some

    ByteBuffer first = StagingBuffers.take();
    assertTrue(first.isDirect());
    assertEquals(StagingBuffers.SIZE, first.capacity());
    first.put(new byte[100]).flip();
    StagingBuffers.give(first);
    ByteBuffer again = StagingBuffers.take();
    assertSame(first, again, "reused, not allocated anew");
    assertEquals(0, again.position());
    assertEquals(StagingBuffers.SIZE, again.limit(), "handed out cleared");

    StagingBuffers.give(ByteBuffer.allocate(StagingBuffers.SIZE));
    assertEquals(0, StagingBuffers.idle(), "a heap buffer (the fallback) is not kept");

    List<ByteBuffer> many = new ArrayList<>();
    for (int i = 0; i < StagingBuffers.IDLE + 10; i++) many.add(StagingBuffers.take());
    many.forEach(StagingBuffers::give);
    assertEquals(StagingBuffers.IDLE, StagingBuffers.idle(), "at most IDLE wait; the rest are left to the collector");
    while (StagingBuffers.idle() > 0) StagingBuffers.take();
  }
}
