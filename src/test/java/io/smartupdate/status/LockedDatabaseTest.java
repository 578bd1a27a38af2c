package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Another process holding the write lock delays a commit up to the busy timeout instead of failing it at once. */
class LockedDatabaseTest {
  @TempDir Path data;

  private static long append(StatusStore store, String message) throws SQLException {
    return store.append(List.of(StoreProbe.event("node-1", message))).get(0).id();
  }

  @Test
  @Timeout(60)
  void appendWaitsForALockHeldShorterThanTheBusyTimeout() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data, 10_000)) {
      assertEquals(1, append(store, "before")); // the writer has read and written: the state that used to fail at once
      CountDownLatch locked = new CountDownLatch(1);
      AtomicLong releasedAt = new AtomicLong();
      CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
        try (Connection other = StoreProbe.connect(data.resolve("status.db")); Statement s = other.createStatement()) {
          s.execute("BEGIN IMMEDIATE");
          locked.countDown();
          Thread.sleep(1000); // the lock is held this long: the scenario itself, not a wait for something else
          releasedAt.set(System.nanoTime());
          s.execute("COMMIT");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(locked.await(10, TimeUnit.SECONDS));
      assertEquals(2, append(store, "while-locked"));
      long finishedAt = System.nanoTime();
      holder.get(10, TimeUnit.SECONDS);
      assertTrue(finishedAt >= releasedAt.get() && releasedAt.get() != 0, "the append waited for the lock to be released");
      assertEquals(List.of(1L, 2L), StoreProbe.ids(data.resolve("status.db")));
    }
  }

  @Test
  @Timeout(60)
  void lockHeldLongerThanTheBusyTimeoutFailsCleanlyAndTheWriterCarriesOn() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data, 300)) {
      assertEquals(1, append(store, "before"));
      try (Connection other = StoreProbe.connect(data.resolve("status.db")); Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        long start = System.nanoTime();
        SQLException busy = assertThrows(SQLException.class, () -> append(store, "refused"));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(busy.getMessage().contains("SQLITE_BUSY"), busy.getMessage());
        assertTrue(waitedMillis >= 250, "waited " + waitedMillis + " ms, about the busy timeout");
        s.execute("COMMIT");
      }
      assertEquals(2, append(store, "after"), "the refused event took no id and left no transaction behind");
      assertEquals(List.of(1L, 2L), StoreProbe.ids(data.resolve("status.db")));
    }
  }
}
