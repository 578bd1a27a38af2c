package io.smartupdate.objectstore;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One fill of the cache from the bucket: the bytes arrive in {@code file} (a {@code .fill-*}
 * temporary, renamed to its digest when complete), and readers follow {@link #arrived} as it
 * grows. Waiters are woken by {@link #progress}, never by polling.
 */
final class Fill implements Arrival {
  private record Waiter(long bytes, Runnable wake) {}

  final StoredObject object;
  final Path file;
  private long arrived; // guarded by this
  private boolean started; // guarded by this: the bucket answered (or the fill ended)
  private String sha256; // guarded by this: set when complete
  private Exception failure; // guarded by this: an IOException or a RuntimeException
  private final List<Waiter> waiters = new ArrayList<>(); // guarded by this
  /** Readers that joined before completion, each to be pinned then; guarded by the cache. */
  int readers;
  /** The digest once the cache holds the copy; guarded by the cache. */
  String cached;

  Fill(StoredObject object, Path file) {
    this.object = object;
    this.file = file;
  }

  /** The bucket answered: its bytes will follow. */
  void started() {
    synchronized (this) {
      started = true;
      notifyAll();
    }
  }

  /** {@code bytes} bytes from the start are now in the file (written, readable by others). */
  void progress(long bytes) {
    List<Runnable> wake = new ArrayList<>();
    synchronized (this) {
      arrived = bytes;
      for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
        Waiter w = i.next();
        if (w.bytes() < bytes) {
          wake.add(w.wake());
          i.remove();
        }
      }
      notifyAll();
    }
    wake.forEach(Runnable::run);
  }

  void completed(String sha) {
    synchronized (this) {
      sha256 = sha;
      started = true;
    }
    progress(object.size());
    endWaiters();
  }

  void failed(Exception e) {
    synchronized (this) {
      failure = e;
      started = true;
      notifyAll();
    }
    endWaiters();
  }

  private void endWaiters() {
    List<Runnable> wake = new ArrayList<>();
    synchronized (this) {
      waiters.forEach(w -> wake.add(w.wake()));
      waiters.clear();
    }
    wake.forEach(Runnable::run);
  }

  /** Waits until the bucket answered (or the fill failed: then throws what it failed with). */
  synchronized void awaitStart() throws IOException {
    while (!started) waitHere();
    if (failure != null) throw rethrown();
  }

  /** Waits for the whole object and returns its digest (or throws what the fill failed with). */
  synchronized String awaitDigest() throws IOException {
    while (sha256 == null && failure == null) waitHere();
    if (failure != null) throw rethrown();
    return sha256;
  }

  private IOException rethrown() {
    if (failure instanceof RuntimeException runtime) throw runtime;
    return (IOException) failure;
  }

  synchronized boolean complete() {
    return sha256 != null;
  }

  @Override
  public synchronized long arrived() throws IOException {
    if (failure != null) throw cut();
    return arrived;
  }

  @Override
  public synchronized void await(long bytes) throws IOException {
    while (arrived < bytes && failure == null) waitHere();
    if (failure != null) throw cut();
  }

  @Override
  public boolean whenArrived(long bytes, Runnable wake) {
    synchronized (this) {
      if (arrived > bytes || sha256 != null || failure != null) return false;
      waiters.add(new Waiter(bytes, wake));
      return true;
    }
  }

  private IOException cut() {
    return new IOException("the fill of " + object.path() + " from the bucket failed after " + arrived + " of " + object.size()
        + " bytes: " + failure.getMessage(), failure);
  }

  private void waitHere() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + object.path() + " to arrive from the bucket");
    }
  }
}
