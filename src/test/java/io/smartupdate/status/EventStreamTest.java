package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.LiveFeed;
import io.smartupdate.testing.SseClient;
import io.smartupdate.testing.TinyServer;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import java.lang.reflect.Field;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SSE callback over a real Undertow listener and an in-memory store: replay, bad ids, and no leak per connection. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamTest {
  private final FakeStatusStore store = new FakeStatusStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private EventHub hub() throws Exception {
    EventHub hub = new EventHub(store);
    open.add(hub);
    return hub;
  }

  private TinyServer serve(EventHub hub) {
    TinyServer server = TinyServer.start(1, new ServerSentEventHandler(new EventStream(hub, LiveFeed.NONE)));
    open.add(server);
    return server;
  }

  private List<StatusEvent> commit(EventHub hub, int count) throws Exception {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) events.add(GroupCommitterTest.event("node-" + i, "m" + i));
    List<StatusEvent> stored = store.append(events);
    hub.committed(stored);
    return stored;
  }

  @Test
  void afterQueryReplaysFromThatIdThenStreamsLive() throws Exception {
    EventHub hub = hub();
    List<StatusEvent> stored = commit(hub, 5);
    TinyServer server = serve(hub);
    try (SseClient stream = new SseClient(client, server.uri(0, "/?after=" + stored.get(2).id()), null)) {
      List<SseClient.Event> replay = stream.take(2, 10);
      assertEquals(List.of(Long.toString(stored.get(3).id()), Long.toString(stored.get(4).id())), ids(replay));
      assertEquals("status", replay.get(0).event());
      StatusEvent live = commit(hub, 1).get(0);
      assertEquals(List.of(Long.toString(live.id())), ids(stream.take(1, 10)), "then live, with nothing repeated");
    }
  }

  @Test
  void withoutAnIdANewStreamStartsWithNewEvents() throws Exception {
    EventHub hub = hub();
    commit(hub, 3);
    TinyServer server = serve(hub);
    long old = hub.latest();
    try (SseClient stream = new SseClient(client, server.uri(0, "/"), null)) {
      // The stream's start point is taken when the server sets it up, which may be just after the
      // client saw the headers: commit until something arrives, then check it is new.
      List<SseClient.Event> first = List.of();
      for (int i = 0; i < 20 && first.isEmpty(); i++) {
        commit(hub, 1);
        first = stream.take(1, 1);
      }
      assertEquals(1, first.size(), "live events arrive");
      assertTrue(Long.parseLong(first.get(0).id()) > old, "nothing older than the connection is replayed: " + first);
    }
  }

  @Test
  void badIdsGetAnErrorEventAndTheStreamEnds() throws Exception {
    EventHub hub = hub();
    commit(hub, 2);
    TinyServer server = serve(hub);
    for (String bad : new String[] {"-1", "abc", "1.5"}) {
      try (SseClient stream = new SseClient(client, server.uri(0, "/?after=" + bad), null)) {
        List<SseClient.Event> events = stream.take(2, 1);
        assertEquals(1, events.size(), "only the error, no status events: " + events);
        assertEquals("error", events.get(0).event());
        assertTrue(events.get(0).data().contains("bad_request"), events.get(0).data());
      }
    }
  }

  @Test
  void closedStreamsAreUnsubscribedFromTheHub() throws Exception {
    EventHub hub = hub();
    TinyServer server = serve(hub);
    for (int i = 0; i < 20; i++) {
      try (SseClient stream = new SseClient(client, server.uri(0, "/?after=" + hub.latest()), null)) {
        commit(hub, 1);
        assertEquals(1, stream.take(1, 10).size());
      }
    }
    // Each connection's close task must remove the very Runnable it subscribed; otherwise every
    // stream ever opened stays in the hub (with its connection) and is woken on every commit.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (listeners(hub).size() > 0 && System.nanoTime() < deadline) {
      commit(hub, 1); // a commit after the client went away lets the server notice the closed connection
      Thread.sleep(50);
    }
    assertEquals(0, listeners(hub).size(), "streams still subscribed after their clients closed");
  }

  private static List<String> ids(List<SseClient.Event> events) {
    return events.stream().map(SseClient.Event::id).toList();
  }

  private static Set<?> listeners(EventHub hub) throws ReflectiveOperationException {
    Field field = EventHub.class.getDeclaredField("listeners");
    field.setAccessible(true);
    return (Set<?>) field.get(hub);
  }
}
