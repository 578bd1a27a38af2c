package io.smartupdate.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.testing.TestClock;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port allocation and session life driven directly, with a fake binder (nothing is really bound,
 * so the ports are just numbers) and a clock that moves only when told. The manager's own reaper
 * thread reads the same clock; every assertion about ending comes after an explicit {@code reap()}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandoffManagerTest {
  private static final int FIRST = 40_000;
  private static final Duration IDLE = Duration.ofHours(1);
  private static final Duration MAX_LIFE = Duration.ofHours(4);

  /** Records what was bound and closed; ports in {@link #held} are "held by someone else". */
  static final class FakeBinder implements HandoffManager.Binder {
    final List<Integer> tried = new CopyOnWriteArrayList<>();
    final List<Boolean> tls = new CopyOnWriteArrayList<>();
    final Set<Integer> held = ConcurrentHashMap.newKeySet();
    final Set<Integer> broken = ConcurrentHashMap.newKeySet();
    final Set<Integer> bound = ConcurrentHashMap.newKeySet();
    final List<Integer> closed = new CopyOnWriteArrayList<>();

    @Override
    public AutoCloseable bind(int port, boolean withTls) throws IOException {
      tried.add(port);
      if (held.contains(port)) throw new BindException("Address already in use");
      if (broken.contains(port)) throw new IOException("Cannot assign requested address");
      tls.add(withTls);
      assertTrue(bound.add(port), "port " + port + " bound twice");
      return () -> {
        closed.add(port);
        bound.remove(port);
      };
    }
  }

  private final FakeBinder binder = new FakeBinder();
  private final TestClock clock = new TestClock();
  private final List<HandoffManager> managers = new ArrayList<>();

  private HandoffManager manager(int size, boolean random) {
    return manager(new HandoffConfig(FIRST, FIRST + size - 1, random, IDLE, MAX_LIFE));
  }

  private HandoffManager manager(HandoffConfig config) {
    HandoffManager manager = new HandoffManager(config, binder, clock);
    managers.add(manager);
    return manager;
  }

  @AfterEach
  void close() {
    managers.forEach(HandoffManager::close);
  }

  private static HandoffSession open(HandoffManager manager) {
    return manager.open("ilo-1", "http");
  }

  @Test
  void lowestFreePortIsHandedOutFirst() {
    HandoffManager manager = manager(5, false);
    assertEquals(FIRST, open(manager).port);
    assertEquals(FIRST + 1, manager.open("ilo-2", "https").port);
    assertEquals(FIRST + 2, open(manager).port);
    assertEquals(List.of(FIRST, FIRST + 1, FIRST + 2), binder.tried, "free ports are not probed twice");
    assertEquals(List.of(false, true, false), binder.tls, "https sessions get a TLS listener");
  }

  @Test
  void sessionHasItsOwnIdTokenAndLife() {
    HandoffManager manager = manager(3, false);
    HandoffSession a = open(manager);
    HandoffSession b = open(manager);
    assertNotEquals(a.id, b.id);
    assertNotEquals(a.token, b.token);
    assertTrue(a.token.length() >= 32, "a token is long enough not to be guessed");
    assertEquals(clock.instant(), a.created);
    assertEquals(clock.instant().plus(MAX_LIFE), a.expiresAt);
    assertSame(a, manager.sessionAt(new InetSocketAddress("127.0.0.1", a.port)));
    assertNull(manager.sessionAt(new InetSocketAddress("127.0.0.1", FIRST + 2)));
    assertEquals(List.of(a.port, b.port), manager.list().stream().map(HandoffSession.View::port).toList());
  }

  @Test
  void portHeldBySomeoneElseIsSkipped() {
    HandoffManager manager = manager(5, false);
    binder.held.add(FIRST);
    binder.broken.add(FIRST + 1);
    assertEquals(FIRST + 2, open(manager).port);
    assertEquals(List.of(FIRST, FIRST + 1, FIRST + 2), binder.tried);
    binder.held.clear();
    assertEquals(FIRST, open(manager).port, "a port given back by its holder is used again");
  }

  @Test
  void fullRangeAnswersBusyWithRetryAfter() {
    HandoffManager manager = manager(2, false);
    open(manager);
    open(manager);
    Problem.Busy busy = assertThrows(Problem.Busy.class, () -> open(manager));
    assertEquals("handoff_ports_exhausted", busy.code());
    assertTrue(busy.detail().contains(FIRST + "-" + (FIRST + 1)), busy.detail());
    assertEquals(Duration.ofSeconds(30), busy.retryAfter(), "min(idle, 30 s)");
  }

  @Test
  void rangeHeldEntirelyByOthersIsBusyToo() {
    HandoffManager manager = manager(new HandoffConfig(FIRST, FIRST + 1, false, Duration.ofSeconds(10), MAX_LIFE));
    binder.held.addAll(List.of(FIRST, FIRST + 1));
    Problem.Busy busy = assertThrows(Problem.Busy.class, () -> open(manager));
    assertEquals(Duration.ofSeconds(10), busy.retryAfter(), "retry after the idle timeout when it is short");
  }

  @Test
  void idleSessionIsReapedAndItsPortReused() {
    HandoffManager manager = manager(3, false);
    HandoffSession session = open(manager);
    HandoffSession other = open(manager);
    clock.advance(IDLE);
    manager.reap();
    assertFalse(session.closed(), "exactly the idle timeout is not yet idle");

    clock.advance(Duration.ofSeconds(1));
    manager.reap();
    assertTrue(session.closed());
    assertTrue(other.closed());
    assertEquals(List.of(FIRST, FIRST + 1), binder.closed.stream().sorted().toList(), "their listeners are closed");
    assertEquals(List.of(), manager.list());
    assertNull(manager.sessionAt(new InetSocketAddress("127.0.0.1", FIRST)));
    assertFalse(manager.close(session.id), "an ended session is gone");

    HandoffSession next = open(manager);
    assertEquals(FIRST, next.port, "the freed port is reused");
    assertNotEquals(session.token, next.token);
  }

  @Test
  void aSessionAskedToWaitLongerOutlivesTheConfiguredIdleAndIsCappedAtTheMaximumLife() {
    HandoffManager manager = manager(3, false);
    HandoffSession patient = manager.open("ilo-1", "http", IDLE.multipliedBy(2));
    HandoffSession usual = manager.open("ilo-2", "http", null);
    HandoffSession capped = manager.open("ilo-3", "http", MAX_LIFE.multipliedBy(10));
    assertEquals(IDLE, usual.idle);
    assertEquals(MAX_LIFE, capped.idle, "never longer than the maximum life");
    assertEquals(IDLE.multipliedBy(2).toSeconds(), manager.list().stream().filter(v -> v.id().equals(patient.id)).findFirst().orElseThrow().idleSeconds());

    clock.advance(IDLE.plusSeconds(1));
    manager.reap();
    assertTrue(usual.closed());
    assertFalse(patient.closed(), "its own idle timeout is twice the configured one");

    clock.advance(IDLE);
    manager.reap();
    assertTrue(patient.closed());
    assertFalse(capped.closed());
  }

  @Test
  void activityPostponesTheIdleEnd() {
    HandoffManager manager = manager(2, false);
    HandoffSession session = open(manager);
    clock.advance(IDLE.minusSeconds(1));
    session.begin(clock.instant());
    session.end(1000, clock.instant());
    clock.advance(IDLE);
    manager.reap();
    assertFalse(session.closed(), "idle counts from the last request, not from the start");
    clock.advance(Duration.ofSeconds(1));
    manager.reap();
    assertTrue(session.closed());
    assertEquals(1000, session.view().bytesServed());
  }

  @Test
  void sessionWithARequestInFlightIsNotIdle() {
    HandoffManager manager = manager(2, false);
    HandoffSession session = open(manager);
    session.begin(clock.instant());
    clock.advance(IDLE.multipliedBy(3));
    manager.reap();
    assertFalse(session.closed(), "a long download keeps its session");
    assertEquals(1, session.view().requestsInFlight());

    session.end(5, clock.instant());
    clock.advance(IDLE.plusSeconds(1));
    manager.reap();
    assertTrue(session.closed(), "idle again once the request ended");
  }

  @Test
  void maximumLifeEndsEvenABusySession() {
    HandoffManager manager = manager(2, false);
    HandoffSession session = open(manager);
    session.begin(clock.instant());
    clock.advance(MAX_LIFE);
    manager.reap();
    assertFalse(session.closed(), "exactly the maximum life is still allowed");
    clock.advance(Duration.ofSeconds(1));
    manager.reap();
    assertTrue(session.closed());
    assertEquals(List.of(FIRST), binder.closed);
    session.end(0, clock.instant());
  }

  @Test
  void closeByIdEndsTheSessionAndFreesItsPort() {
    HandoffManager manager = manager(2, false);
    HandoffSession a = open(manager);
    HandoffSession b = open(manager);
    assertTrue(manager.close(a.id));
    assertTrue(a.closed());
    assertFalse(b.closed());
    assertEquals(List.of(FIRST), binder.closed);
    assertFalse(manager.close(a.id), "closing twice is a no");
    assertFalse(manager.close("no-such-session"));
    assertEquals(FIRST, open(manager).port);
  }

  @Test
  void afterStopAcceptingOpenIsRefusedAsUnavailable() {
    HandoffManager manager = manager(3, false);
    HandoffSession session = open(manager);
    manager.stopAccepting();
    assertTrue(session.closed(), "stopping ends every session");
    assertEquals(List.of(FIRST), binder.closed);
    Problem.Unavailable refused = assertThrows(Problem.Unavailable.class, () -> open(manager));
    assertEquals("stopping", refused.code());
    assertEquals(List.of(FIRST), binder.tried, "nothing is bound while stopping");
  }

  @Test
  void randomModeStaysInsideTheRangeAndNeverHandsOutAPortTwice() {
    int size = 20;
    HandoffManager manager = manager(size, true);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < size; i++) {
      int port = open(manager).port;
      assertTrue(port >= FIRST && port < FIRST + size, "port " + port + " outside the range");
      assertTrue(ports.add(port), "port " + port + " handed out twice");
    }
    assertThrows(Problem.Busy.class, () -> open(manager), "random mode fills the range, then is busy");
  }

  @Test
  void randomModeReallyVariesThePort() {
    HandoffManager manager = manager(20, true);
    Set<Integer> first = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      HandoffSession session = open(manager);
      first.add(session.port);
      assertTrue(manager.close(session.id));
    }
    assertTrue(first.size() > 1, "30 sessions on an empty range all got port " + first);
  }
}
