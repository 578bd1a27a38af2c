package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.status.DeployRuns.Change;
import io.smartupdate.status.DeployRuns.Lease;
import io.smartupdate.status.DeployRuns.Run;
import io.smartupdate.status.DeployRuns.RunState;
import io.smartupdate.status.DeployRuns.Step;
import io.smartupdate.status.DeployRuns.StepState;
import io.smartupdate.testing.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Owner leases on deploy runs, on SQLite and on PostgreSQL: takeover after expiry, refusal while live, one winner of a race, a fenced loser. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeployRunLeasesIT {
  private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String A = "mgmt-a:4242:1a2b3c4d";
  private static final String B = "mgmt-b:777:5e6f7a8b";

  @TempDir Path dir;

  private static Run owned(String id, String owner) {
    return new Run(id, T0, null, RunState.RUNNING, null, "hpe/ilo5_310.bin", "ab".repeat(32), Map.of(),
        List.of(Step.planned("ilo5-10.0.0.5", 0, "10.0.0.5", null, null, "hpe/ilo5_310.bin", "3.10", null)), owner, T0.plus(LEASE), null);
  }

  private static void leases(DeployRuns runs) {
    runs.create(owned("run-1", A));
    Problem.Conflict live = assertThrows(Problem.Conflict.class, () -> runs.takeOver("run-1", B, null, T0.plusSeconds(10), LEASE));
    assertEquals("run run-1 is driven by " + A + " until " + T0.plus(LEASE) + " (its lease; it renews it while it runs): resume it after then, "
        + "when its owner is gone", live.detail());
    assertEquals(A, runs.get("run-1").orElseThrow().owner(), "a refused takeover changes nothing");
    assertEquals(RunState.RUNNING, runs.get("run-1").orElseThrow().seenAt(T0.plusSeconds(10)).state());

    assertEquals(new Lease(A, T0.plusSeconds(50)), runs.renew("run-1", A, T0.plusSeconds(20), LEASE), "the owner renews");
    assertThrows(Problem.Conflict.class, () -> runs.takeOver("run-1", B, null, T0.plusSeconds(45), LEASE), "renewed: still live at 45 s");
    assertEquals(RunState.ORPHANED, runs.get("run-1").orElseThrow().seenAt(T0.plusSeconds(51)).state(), "past the lease it shows orphaned");

    assertEquals(new Lease(B, T0.plusSeconds(81)), runs.takeOver("run-1", B, null, T0.plusSeconds(51), LEASE), "expired: B takes it over");
    Problem.Conflict lost = assertThrows(Problem.Conflict.class, () -> runs.renew("run-1", A, T0.plusSeconds(52), LEASE));
    assertTrue(lost.detail().contains("was taken over by " + B), lost.detail());
    Problem.Conflict fenced = assertThrows(Problem.Conflict.class, () -> runs.change("run-1", "ilo5-10.0.0.5", 0,
        new Change(StepState.SKIPPED, null, null, null, "not started", null), A, T0.plusSeconds(52)));
    assertTrue(fenced.detail().contains("this process lost the run"), fenced.detail());
    assertThrows(Problem.Conflict.class, () -> runs.finish("run-1", RunState.INTERRUPTED, A, T0.plusSeconds(52)));
    assertEquals(StepState.SENT, runs.change("run-1", "ilo5-10.0.0.5", 0, new Change(StepState.SENT, null, null, null, null, null), B,
        T0.plusSeconds(53)).state(), "the new owner writes");
    assertEquals(RunState.RUNNING, runs.get("run-1").orElseThrow().state());

    runs.create(owned("run-2", A));
    assertEquals(new Lease(B, T0.plusSeconds(35)), runs.takeOver("run-2", B, A, T0.plusSeconds(5), LEASE),
        "a dead predecessor's live lease does not hold its successor back");
    assertThrows(Problem.NotFound.class, () -> runs.takeOver("nope", B, null, T0, LEASE));
  }

  /** Eight takeovers of one expired run at once, spread over the stores (servers) given: exactly one wins, the others are refused. */
  private static void race(DeployRuns... servers) throws Exception {
    DeployRuns runs = servers[0];
    runs.create(owned("run-race", A));
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Lease>> tries = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String me = "racer-" + i + ":1:" + i;
        DeployRuns server = servers[i % servers.length];
        Callable<Lease> take = () -> {
          start.await();
          return server.takeOver("run-race", me, null, T0.plusSeconds(60), LEASE);
        };
        tries.add(pool.submit(take));
      }
      start.countDown();
      List<String> winners = new ArrayList<>();
      for (Future<Lease> attempt : tries) {
        try {
          winners.add(attempt.get(60, TimeUnit.SECONDS).owner());
        } catch (ExecutionException e) {
          assertTrue(e.getCause() instanceof Problem.Conflict, String.valueOf(e.getCause()));
        }
      }
      assertEquals(1, winners.size(), "exactly one takeover wins: " + winners);
      assertEquals(winners.get(0), runs.get("run-race").orElseThrow().owner());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sqliteTakesAnExpiredRunOverRefusesALiveOneAndFencesTheLoser() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, dir)) {
      leases(store.deployRuns());
      race(store.deployRuns());
    }
  }

  @Test
  void postgresDoesTheSameAndOfRacingTakeoversExactlyOneWins() throws Exception {
    try (Postgres postgres = Postgres.start(dir.resolve("pg")); JdbcStatusStore a = JdbcStatusStore.open(postgres.url(), dir.resolve("a"));
         JdbcStatusStore b = JdbcStatusStore.open(postgres.url(), dir.resolve("b"))) {
      leases(a.deployRuns());
      race(a.deployRuns(), b.deployRuns());
    }
  }
}
