package io.smartupdate.status;

import io.smartupdate.core.Problem;
import io.smartupdate.core.Threads;
import java.time.Duration;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: posts that arrive while a transaction is being synced wait in a queue and are
 * all written by the next transaction, so N concurrent posts cost one fsync, not N. One thread
 * writes; nothing here runs on an IO thread.
 */
final class GroupCommitter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
  static final int MAX_BATCH = 4096;
  private static final int MAX_QUEUED = 100_000;

  private record Pending(List<StatusEvent> events, CompletableFuture<List<StatusEvent>> done) {}

  private final StatusStore store;
  private final Consumer<List<StatusEvent>> committed;
  private final StatusMetrics metrics;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final Thread writer;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private volatile boolean closing;
  private long failedBatches; // since the last success; only the writer thread touches it
  private volatile String failure; // why the last commit failed, null once one succeeds

  GroupCommitter(StatusStore store, Consumer<List<StatusEvent>> committed) {
    this(store, committed, StatusMetrics.NONE);
  }

  GroupCommitter(StatusStore store, Consumer<List<StatusEvent>> committed, StatusMetrics metrics) {
    this.store = store;
    this.committed = committed;
    this.metrics = metrics;
    this.writer = Threads.critical("status-group-commit", this::run);
    this.writer.start();
  }

  /** Completes with the stored events once they are durable, or exceptionally with {@link Problem.Unavailable} (not stored). */
  CompletableFuture<List<StatusEvent>> submit(List<StatusEvent> batch) {
    CompletableFuture<List<StatusEvent>> done = new CompletableFuture<>();
    Pending pending = new Pending(batch, done);
    if (closing) {
      done.completeExceptionally(unavailable("the server is stopping"));
    } else if (!queue.offer(pending)) {
      done.completeExceptionally(unavailable("too many status events are waiting to be stored"));
    } else if (closing && queue.remove(pending)) {
      // close() began between the check and the offer and may have drained the queue already:
      // refuse it here rather than leave it waiting for a writer that has gone.
      done.completeExceptionally(unavailable("the server is stopping"));
    }
    return done;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      Pending first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        if (closing) break;
        continue;
      }
      batch.add(first);
      int size = first.events().size();
      for (Pending next; size < MAX_BATCH && (next = queue.poll()) != null; size += next.events().size()) batch.add(next);
      commit(batch);
      batch.clear();
    }
  }

  private void commit(List<Pending> batch) {
    List<StatusEvent> all = new ArrayList<>();
    for (Pending pending : batch) all.addAll(pending.events());
    List<StatusEvent> stored;
    long start = System.nanoTime();
    try {
      stored = store.append(all);
    } catch (SQLException | RuntimeException e) {
      // One line when the store goes bad and one when it recovers: a full disk must not fill the log too.
      failure = e.getMessage();
      if (failedBatches++ == 0) log.error("cannot store status events, senders are told to retry: {}", e.toString());
      else log.debug("could not store {} status events: {}", all.size(), e.toString());
      Problem error = unavailable("the status database failed (" + e.getMessage() + "); the event was not stored, retry");
      batch.forEach(p -> p.done().completeExceptionally(error));
      return;
    }
    if (failedBatches > 0) log.info("status events are stored again, after {} failed commits", failedBatches);
    failedBatches = 0;
    failure = null;
    commits.incrementAndGet();
    events.addAndGet(stored.size());
    metrics.committed(stored.size(), System.nanoTime() - start);
    for (StatusEvent event : stored) metrics.stored(event.phase().json());
    // The live hub learns of the events before any sender hears 201, so a stream opened after
    // an acknowledgement never replays that event as "new".
    try {
      committed.accept(stored);
    } catch (RuntimeException e) {
      log.warn("live stream update failed (events are stored; streams catch up on the next commit): {}", e.toString());
    }
    int from = 0;
    for (Pending pending : batch) {
      int to = from + pending.events().size();
      pending.done().complete(List.copyOf(stored.subList(from, to)));
      from = to;
    }
  }

  /** Why the last commit failed, or null when the last one succeeded: what {@code /health} reports. */
  String failure() {
    return failure;
  }

  private static Problem unavailable(String detail) {
    return new Problem.Unavailable("store_unavailable", detail, Duration.ofSeconds(1));
  }

  /** Stores everything already accepted, then stops; later submissions are refused with 503. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Pending left; (left = queue.poll()) != null; ) left.done().completeExceptionally(unavailable("the server is stopping"));
    log.info("status store: {} events in {} commits", events.get(), commits.get());
  }
}
