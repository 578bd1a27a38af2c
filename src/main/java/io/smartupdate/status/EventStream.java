package io.smartupdate.status;

import io.smartupdate.core.LiveFeed;
import io.smartupdate.http.Json;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventConnectionCallback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: Server-Sent Events, one {@code status} event per stored event, with
 * the event id as SSE id. A client that reconnects with {@code Last-Event-ID} (or {@code ?after=ID})
 * gets everything after that id, without gaps or duplicates; without either it gets new events.
 * The stream also carries the snapshots of a {@link LiveFeed} (the download record's
 * {@code event: download}), without SSE ids: resuming is about status events only.
 *
 * <pre>curl -N http://host:63001/api/events</pre>
 */
final class EventStream implements ServerSentEventConnectionCallback {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final int BATCH = 256;
  private static final ServerSentEventConnection.EventCallback IGNORE = new ServerSentEventConnection.EventCallback() {
    @Override
    public void done(ServerSentEventConnection connection, String data, String event, String id) {}

    @Override
    public void failed(ServerSentEventConnection connection, String data, String event, String id, IOException e) {}
  };
  /** Snapshots a slow client may have waiting; beyond this the oldest are dropped (newer ones of the same key replace them anyway). */
  private static final int MAX_PENDING = 2_000;
  private final EventHub hub;
  private final LiveFeed feed;

  EventStream(EventHub hub, LiveFeed feed) {
    this.hub = hub;
    this.feed = feed;
  }

  @Override
  public void connected(ServerSentEventConnection connection, String lastEventId) {
    long after;
    try {
      after = startAfter(connection, lastEventId);
    } catch (NumberFormatException e) {
      connection.send("{\"error\":\"bad_request\",\"detail\":\"Last-Event-ID and after= must be event ids (integers >= 0)\"}",
          "error", null, null);
      connection.shutdown();
      return;
    }
    connection.setKeepAliveTime(15_000);
    Pump pump = new Pump(connection, after);
    // One Runnable for both calls: two method references are two objects, and the close task
    // would remove nothing, leaving every stream ever opened subscribed (and its connection held).
    Runnable wake = pump::wake;
    hub.subscribe(wake);
    connection.addCloseTask(c -> hub.unsubscribe(wake));
    pump.wake();
    LiveFeed.Subscription snapshots = feed.subscribe(new FeedPump(connection));
    connection.addCloseTask(c -> snapshots.close());
  }

  private long startAfter(ServerSentEventConnection connection, String lastEventId) {
    String value = lastEventId;
    if (value == null) {
      Deque<String> query = connection.getQueryParameters().get("after");
      value = query == null ? null : query.peekFirst();
    }
    if (value == null || value.isBlank()) return hub.latest();
    long id = Long.parseLong(value.trim());
    if (id < 0) throw new NumberFormatException("negative");
    return id;
  }

  /**
   * Sends a feed's snapshots: one batch in flight at a time; what arrives meanwhile waits in a
   * map by key, where a newer snapshot replaces an older one, so a slow client costs at most
   * {@value #MAX_PENDING} snapshots and still gets the last word on each.
   */
  private static final class FeedPump implements Consumer<List<LiveFeed.Item>> {
    private final ServerSentEventConnection connection;
    private final Map<String, LiveFeed.Item> pending = new LinkedHashMap<>();
    private boolean sending;

    FeedPump(ServerSentEventConnection connection) {
      this.connection = connection;
    }

    @Override
    public void accept(List<LiveFeed.Item> batch) {
      synchronized (this) {
        for (LiveFeed.Item item : batch) {
          pending.remove(item.key());
          pending.put(item.key(), item);
        }
        for (var it = pending.keySet().iterator(); pending.size() > MAX_PENDING; ) {
          it.next();
          it.remove();
        }
        if (sending) return;
        sending = true;
      }
      flush();
    }

    private void flush() {
      List<LiveFeed.Item> items;
      synchronized (this) {
        if (pending.isEmpty() || !connection.isOpen()) {
          sending = false;
          return;
        }
        items = new ArrayList<>(pending.values());
        pending.clear();
      }
      LiveFeed.Item last = items.get(items.size() - 1);
      for (LiveFeed.Item item : items) {
        connection.send(item.data(), item.event(), null, item == last ? new ServerSentEventConnection.EventCallback() {
          @Override
          public void done(ServerSentEventConnection c, String d, String e, String id) {
            flush();
          }

          @Override
          public void failed(ServerSentEventConnection c, String d, String e, String id, IOException x) {
            log.debug("live stream client went away: {}", x.toString());
          }
        } : IGNORE);
      }
    }
  }

  /** Sends what follows {@code sent}, one batch at a time, reading memory or the store. */
  private final class Pump {
    private final ServerSentEventConnection connection;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long sent;

    Pump(ServerSentEventConnection connection, long after) {
      this.connection = connection;
      this.sent = after;
    }

    void wake() {
      if (connection.isOpen() && busy.compareAndSet(false, true)) hub.streams().execute(this::drain);
    }

    private void drain() {
      List<StatusEvent> events;
      try {
        events = hub.recentAfter(sent, BATCH);
        if (events == null) events = hub.fromStore(sent, BATCH);
      } catch (Exception e) {
        log.warn("live stream read failed; closing the stream (the client resumes with Last-Event-ID): {}", e.toString());
        connection.shutdown();
        return;
      }
      if (events.isEmpty()) {
        busy.set(false);
        if (hub.latest() > sent) wake(); // an event arrived between the read and the flag
        return;
      }
      StatusEvent last = events.get(events.size() - 1);
      for (StatusEvent event : events) {
        String data = new String(Json.bytes(event), StandardCharsets.UTF_8);
        connection.send(data, "status", Long.toString(event.id()), event == last ? new ServerSentEventConnection.EventCallback() {
          @Override
          public void done(ServerSentEventConnection c, String d, String e, String id) {
            sent = last.id();
            busy.set(false);
            wake();
          }

          @Override
          public void failed(ServerSentEventConnection c, String d, String e, String id, IOException x) {
            log.debug("live stream client went away: {}", x.toString());
          }
        } : IGNORE);
      }
    }
  }
}
