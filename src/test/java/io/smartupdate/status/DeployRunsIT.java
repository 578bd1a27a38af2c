package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Problem;
import io.smartupdate.status.DeployRuns.Change;
import io.smartupdate.status.DeployRuns.Run;
import io.smartupdate.status.DeployRuns.RunState;
import io.smartupdate.status.DeployRuns.Step;
import io.smartupdate.status.DeployRuns.StepState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A deploy run's plan and its steps' states survive a reopen, on SQLite and on PostgreSQL alike (schema version 6). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeployRunsIT {
  @TempDir Path dir;

  private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

  private static void roundTrip(String url, Path data) {
    Run run = new Run("20261207-010000-ab12", T0, null, RunState.RUNNING, null, "hpe/ilo5_310.bin", "ab".repeat(32),
        Map.of("parallel", 4, "protocol", "https"),
        List.of(Step.planned("ilo5-10.0.0.5", 0, "10.0.0.5", null, null, "hpe/ilo5_310.bin", "3.10", "ab".repeat(32)),
            Step.planned("ilo5-10.0.0.6", 0, "10.0.0.6", null, null, "hpe/ilo5_310.bin", "3.10", null)), null, null, null);
    try (JdbcStatusStore store = JdbcStatusStore.open(url, data)) {
      DeployRuns runs = store.deployRuns();
      runs.create(run);
      runs.change(run.id(), "ilo5-10.0.0.5", 0, new Change(StepState.SENT, "3.00", null, null, null, "/redfish/v1/TaskService/Tasks/7"),
          T0.plusSeconds(1));
      Step done = runs.change(run.id(), "ilo5-10.0.0.5", 0, new Change(StepState.DONE, null, "3.10", "updated", "applied", null),
          T0.plusSeconds(31));
      assertEquals(30_000L, done.durationMs());
      assertEquals("/redfish/v1/TaskService/Tasks/7", done.taskUri(), "a change without a task URI keeps the stored one");
      Problem.BadInput refused = assertThrows(Problem.BadInput.class, () -> runs.change(run.id(), "ilo5-10.0.0.5", 0,
          new Change(StepState.SENT, null, null, null, null, null), T0.plusSeconds(40)));
      assertTrue(refused.getMessage().contains("is already done"), refused.getMessage());
      assertThrows(Problem.NotFound.class, () -> runs.change("nope", "ilo5-10.0.0.5", 0, new Change(StepState.SENT, null, null, null, null, null), T0));
      assertThrows(Problem.NotFound.class, () -> runs.change(run.id(), "ilo5-10.0.0.9", 0, new Change(StepState.SENT, null, null, null, null, null), T0));
      runs.finish(run.id(), RunState.INTERRUPTED, T0.plusSeconds(40));
    }
    try (JdbcStatusStore store = JdbcStatusStore.open(url, data)) {
      DeployRuns runs = store.deployRuns();
      Run back = runs.get(run.id()).orElseThrow();
      assertEquals(RunState.INTERRUPTED, back.state());
      assertEquals(T0.plusSeconds(40), back.finishedAt());
      assertEquals(Map.of("parallel", 4, "protocol", "https"), back.options());
      assertEquals(new Step("ilo5-10.0.0.5", 0, "10.0.0.5", null, null, "hpe/ilo5_310.bin", "3.00", "3.10", "3.10", StepState.DONE, "updated",
          "applied", T0.plusSeconds(1), T0.plusSeconds(31), 30_000L, "/redfish/v1/TaskService/Tasks/7", "ab".repeat(32)), back.steps().get(0));
      assertEquals(run.steps().get(1), back.steps().get(1));
      assertEquals(List.of(new DeployRuns.Summary(run.id(), T0, T0.plusSeconds(40), RunState.INTERRUPTED, null, "hpe/ilo5_310.bin", 2,
          Map.of("done", 1, "pending", 1), null, null)), runs.list(10));
      runs.finish(run.id(), RunState.RUNNING, T0.plusSeconds(50));
      assertNull(runs.get(run.id()).orElseThrow().finishedAt(), "a resumed run is running again, not finished");
      assertTrue(runs.get("nope").isEmpty());
    }
  }

  @Test
  void sqliteKeepsTheRunsPlanAndEachStepsState() {
    roundTrip(null, dir);
  }

  @Test
  void postgresKeepsTheSame() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start()) {
      roundTrip(postgres.getJdbcUrl("postgres", "postgres"), dir);
    }
  }
}
