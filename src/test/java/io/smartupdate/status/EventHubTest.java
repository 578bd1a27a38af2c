package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live fan-out over an unshared in-memory store: latest id, the in-memory window, wakes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventHubTest {
  /** EventHub.RECENT: how many events memory keeps. */
  private static final int RECENT = 8192;

  private FakeStatusStore store = new FakeStatusStore();
  private final List<AutoCloseable> open = new ArrayList<>();

  private EventHub hub() throws Exception {
    EventHub hub = new EventHub(store);
    open.add(hub);
    return hub;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  /** Stores {@code count} events and tells the hub, as the group committer does. */
  private List<StatusEvent> commit(EventHub hub, int count) throws Exception {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) events.add(GroupCommitterTest.event("node-" + i % 7, "m" + i));
    List<StatusEvent> stored = store.append(events);
    hub.committed(stored);
    return stored;
  }

  private static List<Long> ids(List<StatusEvent> events) {
    return events.stream().map(StatusEvent::id).toList();
  }

  @Test
  void startsAtTheStoresLastId() throws Exception {
    store = new FakeStatusStore(41);
    assertEquals(41, hub().latest());
  }

  @Test
  void committedMovesLatestToTheLastStoredId() throws Exception {
    EventHub hub = hub();
    assertEquals(0, hub.latest());
    commit(hub, 3);
    assertEquals(3, hub.latest());
    commit(hub, 2);
    assertEquals(5, hub.latest());
  }

  @Test
  void recentAfterReturnsTheEventsAfterAnIdInOrder() throws Exception {
    EventHub hub = hub();
    List<StatusEvent> stored = new ArrayList<>(commit(hub, 4));
    stored.addAll(commit(hub, 6));
    assertEquals(stored, hub.recentAfter(0, 100));
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), ids(hub.recentAfter(4, 100)));
  }

  @Test
  void recentAfterRespectsMax() throws Exception {
    EventHub hub = hub();
    commit(hub, 10);
    assertEquals(List.of(3L, 4L, 5L), ids(hub.recentAfter(2, 3)));
    assertEquals(List.of(), hub.recentAfter(2, 0));
  }

  @Test
  void recentAfterIsEmptyWhenTheReaderIsUpToDate() throws Exception {
    EventHub hub = hub();
    assertEquals(List.of(), hub.recentAfter(0, 10), "nothing stored yet");
    commit(hub, 5);
    assertEquals(List.of(), hub.recentAfter(5, 10));
    assertEquals(List.of(), hub.recentAfter(99, 10), "an id from the future is up to date too");
  }

  @Test
  void recentAfterIsNullForHistoryTheHubNeverHeld() throws Exception {
    store = new FakeStatusStore(100);
    EventHub hub = hub();
    assertNull(hub.recentAfter(50, 10), "events before the hub started are only in the store");
    commit(hub, 2);
    assertNull(hub.recentAfter(50, 10));
    assertEquals(List.of(101L, 102L), ids(hub.recentAfter(100, 10)), "from the first event it saw, memory answers");
  }

  @Test
  void memoryKeepsTheNewestRecentEventsAndSendsOlderReadersToTheStore() throws Exception {
    EventHub hub = hub();
    int total = RECENT + 1808;
    for (int sent = 0; sent < total; sent += 1000) commit(hub, Math.min(1000, total - sent));
    assertEquals(total, hub.latest());
    long oldestKept = total - RECENT + 1; // 1809
    assertNull(hub.recentAfter(0, 10));
    assertNull(hub.recentAfter(oldestKept - 2, 10), "the event after this id was dropped from memory");
    assertEquals(List.of(oldestKept, oldestKept + 1), ids(hub.recentAfter(oldestKept - 1, 2)));
    List<StatusEvent> all = hub.recentAfter(oldestKept - 1, Integer.MAX_VALUE);
    assertEquals(RECENT, all.size());
    assertEquals(total, all.get(all.size() - 1).id());
    assertEquals(store.after(oldestKept - 1, RECENT), all, "memory and store agree");
  }

  @Test
  void subscribersAreWokenOnEveryCommit() throws Exception {
    EventHub hub = hub();
    AtomicInteger a = new AtomicInteger();
    AtomicLong latestSeenByB = new AtomicLong();
    hub.subscribe(a::incrementAndGet);
    hub.subscribe(() -> latestSeenByB.set(hub.latest()));
    commit(hub, 1);
    assertEquals(1, a.get());
    assertEquals(1, latestSeenByB.get(), "a woken stream already sees the new latest id");
    commit(hub, 3);
    assertEquals(2, a.get());
    assertEquals(4, latestSeenByB.get());
  }

  @Test
  void unsubscribedStreamsAreNoLongerWoken() throws Exception {
    EventHub hub = hub();
    AtomicInteger kept = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    Runnable keptWake = kept::incrementAndGet;
    Runnable droppedWake = dropped::incrementAndGet;
    hub.subscribe(keptWake);
    hub.subscribe(droppedWake);
    commit(hub, 1);
    hub.unsubscribe(droppedWake);
    commit(hub, 1);
    commit(hub, 1);
    assertEquals(3, kept.get());
    assertEquals(1, dropped.get());
  }

  @Test
  void closeStopsTheStreamExecutor() throws Exception {
    EventHub hub = hub();
    hub.close();
    assertTrue(hub.streams().isShutdown());
  }

  @Test
  void anAcknowledgedEventIsAlreadyInTheHub() throws Exception {
    EventHub hub = hub();
    GroupCommitter committer = new GroupCommitter(store, hub::committed);
    open.add(0, committer);
    for (int i = 0; i < 20; i++) {
      List<StatusEvent> stored = committer.submit(List.of(GroupCommitterTest.event("ilo-1", "m" + i))).get(10, TimeUnit.SECONDS);
      long id = stored.get(0).id();
      assertTrue(hub.latest() >= id, "latest covers the acknowledged id");
      assertEquals(stored, hub.recentAfter(id - 1, 1));
    }
  }

  /** Events another server stored in the shared store (no hub of ours was told). */
  private List<StatusEvent> foreignAppend(int count) throws Exception {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) events.add(GroupCommitterTest.event("other-" + i % 5, "f" + i));
    return store.append(events);
  }

  @Test
  void onASharedStoreOurCommitAlsoBringsInWhatOtherServersCommittedBeforeIt() throws Exception {
    store = new FakeStatusStore(0, true);
    EventHub hub = hub();
    AtomicInteger wakes = new AtomicInteger();
    hub.subscribe(wakes::incrementAndGet);
    List<StatusEvent> theirs = foreignAppend(2500); // more than one page of the catch-up read
    List<StatusEvent> ours = store.append(List.of(GroupCommitterTest.event("node-1", "ours")));
    hub.committed(ours);
    assertEquals(2501, hub.latest());
    List<StatusEvent> all = hub.recentAfter(0, 5000);
    assertEquals(2501, all.size());
    assertEquals(theirs, all.subList(0, 2500), "in id order, none skipped");
    assertEquals(ours.get(0), all.get(2500));
    assertTrue(wakes.get() >= 1, "subscribers are woken");
    assertEquals(store.after(2400, 10), hub.fromStore(2400, 10));
  }

  @Test
  void onASharedStoreAnotherServersCommitWakesTheStreams() throws Exception {
    store = new FakeStatusStore(0, true);
    EventHub hub = hub();
    CountDownLatch woken = new CountDownLatch(1);
    hub.subscribe(woken::countDown);
    List<StatusEvent> theirs = foreignAppend(3);
    store.notifyForeignCommit();
    assertTrue(woken.await(10, TimeUnit.SECONDS), "a NOTIFY from another server wakes the streams");
    assertEquals(3, hub.latest());
    assertEquals(theirs, hub.recentAfter(0, 10));
    // a commit whose NOTIFY was missed is still picked up by the periodic read (every second)
    CountDownLatch again = new CountDownLatch(1);
    hub.subscribe(() -> {
      if (hub.latest() == 4) again.countDown();
    });
    foreignAppend(1);
    assertTrue(again.await(10, TimeUnit.SECONDS), "no NOTIFY: the next periodic read finds it");
  }

  @Test
  void onAnUnsharedStoreNothingIsReadBackAfterACommit() throws Exception {
    EventHub hub = hub();
    foreignAppend(2); // cannot happen on an unshared store: the hub trusts its own commits and reads nothing
    List<StatusEvent> ours = store.append(List.of(GroupCommitterTest.event("node-1", "ours")));
    hub.committed(ours);
    assertEquals(3, hub.latest());
    assertEquals(ours, hub.recentAfter(2, 10));
    assertNull(hub.recentAfter(0, 10), "ids 1-2 were never in memory: a reader after 0 goes to the store");
  }
}
