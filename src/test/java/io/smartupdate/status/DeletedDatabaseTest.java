package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** status.db deleted under a running server: writes are refused, never acknowledged into the unlinked file, and ids never go back. */
class DeletedDatabaseTest {
  @TempDir Path data;

  private Path db() {
    return data.resolve("status.db");
  }

  private void deleteDatabase() throws Exception {
    for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(data.resolve("status.db" + suffix));
  }

  private static long append(StatusStore store, String message) throws SQLException {
    return store.append(List.of(StoreProbe.event("node-1", message))).get(0).id();
  }

  @Test
  @Timeout(60)
  void writesIntoDeletedDatabaseAreRefusedNamingTheFile() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      for (int i = 1; i <= 3; i++) assertEquals(i, append(store, "before-" + i));
      deleteDatabase();
      for (int i = 0; i < 3; i++) {
        SQLException refused = assertThrows(SQLException.class, () -> append(store, "while-deleted"));
        assertTrue(refused.getMessage().contains(db().toString()) && refused.getMessage().contains("deleted"), refused.getMessage());
      }
      assertTrue(Files.notExists(db()), "refusing must not recreate an empty database under the same name");
    }
  }

  @Test
  @Timeout(60)
  void restoredBackupIsReopenedAndIdsContinueAboveWhatWasHandedOut() throws Exception {
    Path backup = data.resolveSibling(data.getFileName() + "-backup.db");
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      assertEquals(1, append(store, "one"));
      try (Connection c = StoreProbe.connect(db()); Statement s = c.createStatement()) {
        s.execute("VACUUM INTO '" + backup + "'"); // the operator's backup holds id 1 only
      }
      assertEquals(2, append(store, "two"));
      deleteDatabase();
      assertThrows(SQLException.class, () -> append(store, "refused"));

      Files.copy(backup, db());
      assertEquals(3, append(store, "three"), "id 2 was acknowledged before: it is not handed out again");
      assertEquals(List.of(1L, 3L), StoreProbe.ids(db()));
      assertEquals(3, store.after(0, 10).get(1).id(), "readers read the restored file, not the deleted one");
    } finally {
      Files.deleteIfExists(backup);
    }
  }

  @Test
  @Timeout(60)
  void restartAfterDeletionStartsANewDatabaseWithoutReusingIds() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      for (int i = 1; i <= 3; i++) append(store, "before-" + i);
      deleteDatabase();
      assertThrows(SQLException.class, () -> append(store, "refused"));
    }
    try (JdbcStatusStore restarted = JdbcStatusStore.open(null, data)) {
      assertEquals(4, append(restarted, "after-restart"));
    }
  }

  @Test
  @Timeout(60)
  void idsDoNotGoBackAfterACrashThatLostTheDatabase() throws Exception {
    JdbcStatusStore crashed = JdbcStatusStore.open(null, data); // never closed: as after SIGKILL
    for (int i = 1; i <= 3; i++) append(crashed, "before-" + i);
    deleteDatabase();
    try (JdbcStatusStore restarted = JdbcStatusStore.open(null, data)) {
      long id = append(restarted, "after-crash");
      assertTrue(id > 3 && id <= 3 + DatabaseFile.RESERVE, "id " + id + " is above every id handed out before the crash");
    } finally {
      crashed.close();
    }
  }
}
