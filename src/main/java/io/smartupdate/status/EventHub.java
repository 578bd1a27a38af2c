package io.smartupdate.status;

import io.smartupdate.core.Threads;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live fan-out: knows the newest committed id, keeps the most recent events in memory, and wakes
 * the streams when new ones arrive, from this server's commits or (on a shared PostgreSQL store)
 * from other servers' notifications. Streams read by id, so a slow client costs no queue here.
 */
final class EventHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);
  private static final int RECENT = 8192;

  private final StatusStore store;
  private final NavigableMap<Long, StatusEvent> recent = new ConcurrentSkipListMap<>();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final ExecutorService streams = Executors.newFixedThreadPool(2, Threads.daemon("status-stream"));
  private final Thread foreign;
  private volatile long latest;
  private volatile boolean closed;

  EventHub(StatusStore store) throws SQLException {
    this.store = store;
    this.latest = store.lastId();
    this.foreign = store.shared() ? Threads.daemon("status-listen").newThread(this::listenForeign) : null;
    if (foreign != null) foreign.start();
  }

  long latest() {
    return latest;
  }

  /** Executor for stream work that may read the store. */
  ExecutorService streams() {
    return streams;
  }

  void subscribe(Runnable wake) {
    listeners.add(wake);
  }

  void unsubscribe(Runnable wake) {
    listeners.remove(wake);
  }

  /** This server committed {@code stored}; on an unshared store it is the only writer, so order is known. */
  void committed(List<StatusEvent> stored) {
    if (store.shared()) {
      catchUp();
      return;
    }
    for (StatusEvent event : stored) recent.put(event.id(), event);
    latest = stored.get(stored.size() - 1).id();
    publish();
  }

  /** Events after {@code id} from memory, or null when they are older than what memory holds. */
  List<StatusEvent> recentAfter(long id, int max) {
    long newest = latest;
    if (id >= newest) return List.of();
    if (recent.isEmpty() || id + 1 < recent.firstKey()) return null;
    List<StatusEvent> events = new ArrayList<>();
    for (StatusEvent event : recent.tailMap(id, false).values()) {
      if (event.id() > newest || events.size() == max) break;
      events.add(event);
    }
    return events;
  }

  List<StatusEvent> fromStore(long id, int max) throws SQLException {
    return store.after(id, max);
  }

  private synchronized void catchUp() {
    try {
      List<StatusEvent> events;
      do {
        events = store.after(latest, 1000);
        for (StatusEvent event : events) recent.put(event.id(), event);
        if (!events.isEmpty()) latest = events.get(events.size() - 1).id();
      } while (events.size() == 1000);
      publish();
    } catch (SQLException e) {
      if (!closed) log.warn("cannot read new status events for the live stream: {}", e.toString());
    }
  }

  private void publish() {
    while (recent.size() > RECENT) recent.pollFirstEntry();
    listeners.forEach(Runnable::run);
  }

  /** Other servers' commits: a notification wakes us; a periodic read covers a missed one. */
  private void listenForeign() {
    while (!closed) {
      try {
        store.awaitForeignCommit(1000);
        catchUp();
      } catch (SQLException e) {
        if (!closed) log.warn("listening for other servers' events failed: {}", e.toString());
        sleepQuietly();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (foreign != null) {
      foreign.interrupt();
      try {
        foreign.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    streams.shutdownNow();
    try {
      streams.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
