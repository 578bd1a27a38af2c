package io.smartupdate.status;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory {@link StatusStore}: assigns ids in append order, records every append call, and
 * can be told to block the next append on a latch or to fail it with an SQLException. Unshared,
 * or {@link #shared()} (as PostgreSQL is) with {@link #notifyForeignCommit} standing in for NOTIFY.
 */
final class FakeStatusStore implements StatusStore {
  /** A blocked append: {@link #entered} opens when the writer is inside, {@link #release()} lets it finish. */
  static final class Block {
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    boolean awaitEntered() throws InterruptedException {
      return entered.await(10, TimeUnit.SECONDS);
    }

    void release() {
      release.countDown();
    }
  }

  private final List<StatusEvent> stored = new ArrayList<>();
  /** The events of every append call, in call order (including failed ones). */
  final List<List<StatusEvent>> appends = new CopyOnWriteArrayList<>();
  private volatile Block block;
  private final Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
  private long nextId;
  private final boolean shared;
  private final Semaphore foreign = new Semaphore(0);

  FakeStatusStore() {
    this(0);
  }

  /** A store that already holds ids up to {@code lastId}. */
  FakeStatusStore(long lastId) {
    this(lastId, false);
  }

  /** A store holding ids up to {@code lastId}; {@code shared}: other servers write into it too. */
  FakeStatusStore(long lastId, boolean shared) {
    this.nextId = lastId + 1;
    this.shared = shared;
  }

  /** Another server committed: wakes one {@link #awaitForeignCommit} (a NOTIFY). */
  void notifyForeignCommit() {
    foreign.release();
  }

  /** The next append waits inside until the returned block is released. */
  Block blockNextAppend() {
    Block b = new Block();
    block = b;
    return b;
  }

  /**
   * Append call number {@code call} (1-based, counting every call) throws {@code e}, an
   * SQLException, a RuntimeException or an Error (a writer thread's death); nothing is stored.
   */
  void failAppend(int call, Throwable e) {
    if (!(e instanceof SQLException) && !(e instanceof RuntimeException) && !(e instanceof Error)) {
      throw new IllegalArgumentException("append cannot throw " + e);
    }
    failures.put(call, e);
  }

  @Override
  public List<StatusEvent> append(List<StatusEvent> events) throws SQLException {
    appends.add(List.copyOf(events));
    Throwable failure = failures.remove(appends.size());
    Block b = block;
    if (b != null) {
      block = null;
      b.entered.countDown();
      try {
        // Bounded so a broken test cannot hang the build.
        if (!b.release.await(20, TimeUnit.SECONDS)) throw new SQLException("test never released the blocked append");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while blocked", e);
      }
    }
    if (failure instanceof SQLException sql) throw sql;
    if (failure instanceof RuntimeException runtime) throw runtime;
    if (failure instanceof Error error) throw error;
    synchronized (this) {
      List<StatusEvent> withIds = new ArrayList<>();
      for (StatusEvent event : events) withIds.add(event.withId(nextId++));
      stored.addAll(withIds);
      return withIds;
    }
  }

  synchronized List<StatusEvent> stored() {
    return List.copyOf(stored);
  }

  @Override
  public synchronized List<StatusEvent> after(long afterId, int limit) {
    return stored.stream().filter(e -> e.id() > afterId).limit(limit).toList();
  }

  @Override
  public synchronized List<StatusEvent> history(String node, long afterId, int limit) {
    return stored.stream().filter(e -> e.node().equals(node) && e.id() > afterId).limit(limit).toList();
  }

  @Override
  public Overview overview() {
    return new Overview(List.of(), Map.of());
  }

  @Override
  public synchronized long lastId() {
    return nextId - 1;
  }

  @Override
  public boolean shared() {
    return shared;
  }

  @Override
  public void awaitForeignCommit(int timeoutMillis) throws InterruptedException {
    foreign.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {}

  @Override
  public Inventories inventories() {
    throw new UnsupportedOperationException("no inventories in the fake store");
  }

  @Override
  public DeployRuns deployRuns() {
    throw new UnsupportedOperationException("no deploy runs in the fake store");
  }
}
