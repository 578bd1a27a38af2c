package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Phase;
import io.smartupdate.core.Problem;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The group committer driven directly over an in-memory store: order, grouping, failures, back-pressure, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitterTest {
  private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeStatusStore store = new FakeStatusStore();
  private final List<List<StatusEvent>> seenByCallback = new CopyOnWriteArrayList<>();
  private GroupCommitter committer;

  private GroupCommitter start(Consumer<List<StatusEvent>> committed) {
    committer = new GroupCommitter(store, committed);
    return committer;
  }

  private GroupCommitter start() {
    return start(seenByCallback::add);
  }

  @AfterEach
  void closeCommitter() {
    if (committer != null) committer.close();
  }

  static StatusEvent event(String node, String message) {
    return new StatusEvent(0, node, Phase.INFO, null, null, message, null, RECEIVED, "test");
  }

  private static List<StatusEvent> batch(String node, int size) {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < size; i++) events.add(event(node, node + "#" + i));
    return events;
  }

  private static List<StatusEvent> await(CompletableFuture<List<StatusEvent>> done) throws Exception {
    return done.get(10, TimeUnit.SECONDS);
  }

  private static Problem.Unavailable refusal(CompletableFuture<List<StatusEvent>> done) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(Problem.Unavailable.class, e.getCause());
  }

  private static void assertStoredVersionOf(List<StatusEvent> submitted, List<StatusEvent> stored) {
    assertEquals(submitted.size(), stored.size());
    for (int i = 0; i < submitted.size(); i++) {
      assertTrue(stored.get(i).id() > 0, "stored events have ids");
      assertEquals(submitted.get(i), stored.get(i).withId(0), "acknowledgement " + i + " is the event that was sent");
    }
  }

  @Test
  void eachCallerGetsItsOwnEventsBackWithIdsInSubmissionOrder() throws Exception {
    start();
    int callers = 4;
    int perCaller = 200;
    List<List<CompletableFuture<List<StatusEvent>>>> futures = new ArrayList<>();
    List<List<List<StatusEvent>>> sent = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int c = 0; c < callers; c++) {
      List<CompletableFuture<List<StatusEvent>>> mine = new CopyOnWriteArrayList<>();
      List<List<StatusEvent>> mineSent = new ArrayList<>();
      for (int i = 0; i < perCaller; i++) mineSent.add(batch("node-" + c + "-" + i, 1 + i % 3));
      futures.add(mine);
      sent.add(mineSent);
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (List<StatusEvent> b : mineSent) mine.add(committer.submit(b));
      });
      threads.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : threads) t.join(10_000);
    for (int c = 0; c < callers; c++) {
      long last = 0;
      assertEquals(perCaller, futures.get(c).size());
      for (int i = 0; i < perCaller; i++) {
        List<StatusEvent> stored = await(futures.get(c).get(i));
        assertStoredVersionOf(sent.get(c).get(i), stored);
        for (StatusEvent e : stored) {
          assertTrue(e.id() > last, "caller " + c + ": ids grow in submission order");
          last = e.id();
        }
        // One submission's events are stored together, in one transaction, next to each other.
        assertEquals(stored.get(0).id() + stored.size() - 1, stored.get(stored.size() - 1).id());
      }
    }
    assertEquals(store.lastId(), store.stored().size());
  }

  @Test
  void submissionsQueuedDuringABlockedCommitAreWrittenByOneFollowingCommit() throws Exception {
    start();
    FakeStatusStore.Block block = store.blockNextAppend();
    CompletableFuture<List<StatusEvent>> first = committer.submit(batch("first", 1));
    assertTrue(block.awaitEntered());
    List<List<StatusEvent>> queued = new ArrayList<>();
    List<CompletableFuture<List<StatusEvent>>> waiting = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      List<StatusEvent> b = batch("queued-" + i, 1 + i % 4);
      queued.add(b);
      waiting.add(committer.submit(b));
    }
    assertFalse(waiting.get(0).isDone(), "nothing is acknowledged before it is stored");
    block.release();
    await(first);
    List<StatusEvent> all = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      List<StatusEvent> stored = await(waiting.get(i));
      assertStoredVersionOf(queued.get(i), stored);
      all.addAll(stored);
    }
    assertEquals(2, store.appends.size(), "one commit for the blocked post, ONE for everything queued behind it");
    assertEquals(all.size(), store.appends.get(1).size());
    for (int i = 1; i < all.size(); i++) assertEquals(all.get(i - 1).id() + 1, all.get(i).id(), "ids follow submission order");
  }

  @Test
  void aCommitTakesAtMostMaxBatchEventsAndTheRestFollowInTheNextOne() throws Exception {
    start();
    FakeStatusStore.Block block = store.blockNextAppend();
    CompletableFuture<List<StatusEvent>> first = committer.submit(batch("first", 1));
    assertTrue(block.awaitEntered());
    int queued = GroupCommitter.MAX_BATCH + 100;
    List<CompletableFuture<List<StatusEvent>>> waiting = new ArrayList<>();
    for (int i = 0; i < queued; i++) waiting.add(committer.submit(List.of(event("n", "e" + i))));
    block.release();
    await(first);
    for (CompletableFuture<List<StatusEvent>> done : waiting) await(done);
    assertEquals(3, store.appends.size());
    assertEquals(GroupCommitter.MAX_BATCH, store.appends.get(1).size());
    assertEquals(100, store.appends.get(2).size());
  }

  @Test
  void failedAppendRefusesEverySenderOfThatBatchAndTheNextBatchIsStored() throws Exception {
    start();
    FakeStatusStore.Block block = store.blockNextAppend();
    store.failAppend(2, new SQLException("disk I/O error"));
    CompletableFuture<List<StatusEvent>> first = committer.submit(batch("first", 1));
    assertTrue(block.awaitEntered());
    List<CompletableFuture<List<StatusEvent>>> doomed = new ArrayList<>();
    for (int i = 0; i < 5; i++) doomed.add(committer.submit(batch("doomed-" + i, 2)));
    block.release();
    List<StatusEvent> stored = await(first);
    for (CompletableFuture<List<StatusEvent>> done : doomed) {
      Problem.Unavailable problem = refusal(done);
      assertEquals("store_unavailable", problem.code());
      assertTrue(problem.detail().contains("disk I/O error"), problem.detail());
      assertNotNull(problem.retryAfter(), "the sender is told when to retry");
    }
    assertEquals(2, store.appends.size(), "the five senders were in one failed commit");
    assertEquals(10, store.appends.get(1).size());

    List<StatusEvent> retry = batch("retry", 3);
    assertStoredVersionOf(retry, await(committer.submit(retry)));
    assertEquals(4, store.stored().size(), "the first post and the retry; nothing of the failed batch");
    assertEquals(List.of(stored, store.stored().subList(1, 4)), seenByCallback, "failed commits are not published");
  }

  @Test
  void runtimeFailureOfTheStoreIsAlsoUnavailableAndTheWriterSurvives() throws Exception {
    start();
    store.failAppend(1, new IllegalStateException("connection pool closed"));
    Problem.Unavailable problem = refusal(committer.submit(batch("a", 1)));
    assertTrue(problem.detail().contains("connection pool closed"), problem.detail());
    assertEquals(1, await(committer.submit(batch("b", 1))).size());
  }

  @Test
  void fullQueueRefusesAtOnceInsteadOfBlocking() throws Exception {
    start();
    FakeStatusStore.Block block = store.blockNextAppend();
    CompletableFuture<List<StatusEvent>> first = committer.submit(batch("first", 1));
    assertTrue(block.awaitEntered());
    // The queue holds 100 000 submissions (GroupCommitter.MAX_QUEUED); the writer is stuck, so fill it.
    List<StatusEvent> one = List.of(event("n", "queued"));
    List<CompletableFuture<List<StatusEvent>>> accepted = new ArrayList<>();
    CompletableFuture<List<StatusEvent>> refused = null;
    for (int i = 0; i < 200_000 && refused == null; i++) {
      CompletableFuture<List<StatusEvent>> done = committer.submit(one);
      if (done.isDone()) {
        refused = done;
      } else {
        accepted.add(done);
      }
    }
    assertNotNull(refused, "a full queue refuses");
    assertEquals(100_000, accepted.size(), "the queue bound");
    // Already completed when submit returned: the caller was not made to wait.
    assertTrue(refused.isCompletedExceptionally());
    Problem.Unavailable problem = refusal(refused);
    assertEquals("store_unavailable", problem.code());
    assertTrue(problem.detail().contains("too many"), problem.detail());
    assertNotNull(problem.retryAfter());

    block.release();
    await(first);
    for (CompletableFuture<List<StatusEvent>> done : accepted) await(done);
    assertEquals(100_001, store.stored().size(), "everything accepted is stored");
    assertEquals(1, await(committer.submit(one)).size(), "once drained, submissions are accepted again");
  }

  @Test
  void closeWhileACommitIsBlockedStoresEverythingAcceptedAndRefusesLaterSubmissions() throws Exception {
    start();
    FakeStatusStore.Block block = store.blockNextAppend();
    CompletableFuture<List<StatusEvent>> first = committer.submit(batch("first", 2));
    assertTrue(block.awaitEntered());
    List<CompletableFuture<List<StatusEvent>>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) queued.add(committer.submit(batch("queued-" + i, 1)));

    Thread closer = new Thread(committer::close, "test-closer");
    closer.start();
    // close() marks itself closing first, then waits for the writer: once the closer waits, the flag is set.
    while (closer.getState() != Thread.State.TIMED_WAITING && closer.getState() != Thread.State.WAITING) {
      assertTrue(closer.isAlive(), "close() returned while a commit was still blocked");
      Thread.onSpinWait();
    }
    CompletableFuture<List<StatusEvent>> late = committer.submit(batch("late", 1));
    assertTrue(late.isCompletedExceptionally(), "refused at once while stopping");
    assertTrue(refusal(late).detail().contains("stopping"));
    assertFalse(first.isDone());

    block.release();
    closer.join(15_000);
    assertFalse(closer.isAlive(), "close() returns once the accepted events are stored");
    assertEquals(2, await(first).size());
    for (CompletableFuture<List<StatusEvent>> done : queued) assertEquals(1, await(done).size());
    assertEquals(5, store.stored().size());
    assertTrue(refusal(committer.submit(batch("after", 1))).detail().contains("stopping"));
  }

  @Test
  void committedCallbackSeesTheEventsBeforeAnySenderIsAcknowledged() throws Exception {
    AtomicReference<CompletableFuture<List<StatusEvent>>> pending = new AtomicReference<>();
    AtomicReference<Boolean> doneAtCallback = new AtomicReference<>();
    List<StatusEvent> published = new CopyOnWriteArrayList<>();
    start(stored -> {
      published.addAll(stored);
      doneAtCallback.set(pending.get().isDone());
    });
    FakeStatusStore.Block block = store.blockNextAppend();
    CompletableFuture<List<StatusEvent>> done = committer.submit(batch("a", 3));
    pending.set(done);
    assertTrue(block.awaitEntered());
    block.release();
    List<StatusEvent> stored = await(done);
    assertSame(Boolean.FALSE, doneAtCallback.get(), "the callback ran before the future completed");
    assertEquals(stored, published);
  }

  @Test
  void failingCallbackStillAcknowledgesTheStoredEvents() throws Exception {
    start(stored -> {
      throw new IllegalStateException("stream broke");
    });
    List<StatusEvent> sent = batch("a", 2);
    assertStoredVersionOf(sent, await(committer.submit(sent)));
  }
}
