package io.smartupdate.objectstore;

import java.io.IOException;

/**
 * The bytes of an image still arriving from the bucket: readers serve what has arrived and wait
 * for the rest, blocking ({@link #await}) or by a callback ({@link #whenArrived}) on an IO thread.
 * A fill that fails makes every method throw, so a reader never serves past what arrived intact.
 */
public interface Arrival {
  /** How many bytes from the start have arrived; throws once the fill failed. */
  long arrived() throws IOException;

  /** Blocks until {@code bytes} bytes have arrived (or the fill failed: then throws). */
  void await(long bytes) throws IOException;

  /**
   * Runs {@code wake} once more than {@code bytes} bytes have arrived or the fill has ended (on the
   * fill's thread); returns false without running it when that is already so.
   */
  boolean whenArrived(long bytes, Runnable wake);
}
