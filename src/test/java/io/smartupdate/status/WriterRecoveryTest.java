package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** After a COMMIT that reported an error, the database itself decides whether the batch is stored. */
class WriterRecoveryTest {
  @TempDir Path data;

  @Test
  @Timeout(30)
  void failedCommitIsJudgedByWhichIdsTheDatabaseHolds() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      store.append(List.of(StoreProbe.event("n", "a"), StoreProbe.event("n", "b")));
      WriterRecovery recovery = new WriterRecovery(Dialect.SQLITE, "jdbc:sqlite:" + data.resolve("status.db"), 1000);
      SQLException failure = new SQLException("disk I/O error");
      assertEquals(WriterRecovery.Outcome.STORED, recovery.check(1, 2, failure), "committed after all: acknowledge, never 503");
      assertEquals(WriterRecovery.Outcome.NOT_STORED, recovery.check(3, 1, failure));
      assertEquals(WriterRecovery.Outcome.IN_DOUBT, recovery.check(2, 2, failure), "half a transaction cannot be trusted either way");
    }
  }

  @Test
  @Timeout(30)
  void unreadableDatabaseLeavesTheCommitInDoubt() {
    WriterRecovery recovery = new WriterRecovery(Dialect.SQLITE, "jdbc:sqlite:" + data.resolve("missing/status.db"), 1000);
    assertEquals(WriterRecovery.Outcome.IN_DOUBT, recovery.check(1, 1, new SQLException("disk I/O error")));
  }
}
