package io.smartupdate.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A read stopped at a known point: the wrapped stream passes its first {@code at} bytes through,
 * then holds until the test {@link #release}s it or makes it {@link #fail}. Tests assert what
 * happens meanwhile (a fill half-way), with no sleep.
 */
public final class HeldRead {
  private final long at;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch let = new CountDownLatch(1);
  private volatile String failure;

  public HeldRead(long at) {
    this.at = at;
  }

  public InputStream wrap(InputStream source) {
    return new FilterInputStream(source) {
      private long passed;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (passed >= at) hold();
        int n = super.read(b, off, passed < at ? (int) Math.min(len, at - passed) : len);
        if (n > 0) passed += n;
        return n;
      }
    };
  }

  private void hold() throws IOException {
    reached.countDown();
    try {
      if (!let.await(60, TimeUnit.SECONDS)) throw new IOException("a held read was never released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
    if (failure != null) throw new IOException(failure);
  }

  /** Waits until the reader has taken the first {@code at} bytes and asked for more. */
  public void awaitHeld() throws InterruptedException {
    if (!reached.await(30, TimeUnit.SECONDS)) throw new AssertionError("the read never reached byte " + at);
  }

  /** The rest flows. */
  public void release() {
    let.countDown();
  }

  /** The read fails where it is held, as a connection reset would. */
  public void fail(String why) {
    failure = why;
    let.countDown();
  }
}
