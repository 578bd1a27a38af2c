package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Phase;
import io.smartupdate.core.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on its own: what goes in comes back, ids survive restarts, close leaves a complete file. */
@Timeout(60)
class JdbcStatusStoreTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-21T10:00:01Z");
  @TempDir Path data;

  private static StatusEvent full(String node, Phase phase, Integer progress) {
    return new StatusEvent(0, node, phase, progress, "ilo5_281.bin", "flashing " + node, Instant.parse("2026-11-21T10:00:00Z"),
        RECEIVED, "10.0.0.9");
  }

  private static StatusEvent bare(String node, Phase phase) {
    return new StatusEvent(0, node, phase, null, null, null, null, RECEIVED, null);
  }

  @Test
  void everyFieldComesBackAsStoredAndAbsentOnesStayAbsent() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      List<StatusEvent> sent = List.of(full("node-a", Phase.FLASHING, 40), bare("node-b", Phase.INFO), full("node-c", Phase.COMPLETE, 100));
      List<StatusEvent> stored = store.append(sent);
      assertEquals(List.of(1L, 2L, 3L), stored.stream().map(StatusEvent::id).toList());
      for (int i = 0; i < sent.size(); i++) assertEquals(sent.get(i).withId(i + 1), stored.get(i));
      assertEquals(stored, store.after(0, 10), "the second event's nulls must not inherit the first one's values");
      assertEquals(stored.subList(1, 3), store.after(1, 10));
      assertEquals(List.of(stored.get(0)), store.after(0, 1));
      assertEquals(List.of(stored.get(1)), store.history("node-b", 0, 10));
      assertEquals(3, store.lastId());
    }
  }

  @Test
  void theOverviewHoldsEachNodesLatestEventAndCountsPhases() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      store.append(List.of(full("node-b", Phase.DOWNLOADING, 10), full("node-a", Phase.FLASHING, 50)));
      store.append(List.of(full("node-b", Phase.COMPLETE, 100)));
      StatusStore.Overview overview = store.overview();
      assertEquals(List.of("node-a", "node-b"), overview.nodes().stream().map(StatusEvent::node).toList());
      assertEquals(List.of(2L, 3L), overview.nodes().stream().map(StatusEvent::id).toList());
      assertEquals(1, overview.phases().get("flashing"));
      assertEquals(1, overview.phases().get("complete"));
      assertEquals(0, overview.phases().get("downloading"), "node-b has moved on");
      assertEquals(Phase.values().length, overview.phases().size(), "every phase is listed, zeros too");
    }
  }

  @Test
  void idsContinueAfterARestart() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      store.append(List.of(bare("n", Phase.INFO), bare("n", Phase.INFO), bare("n", Phase.INFO)));
    }
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      assertEquals(3, store.lastId());
      assertEquals(4, store.append(List.of(bare("n", Phase.INFO))).get(0).id(), "a clean close records the exact highest id");
    }
  }

  @Test
  void afterACrashTheIdsRecordedBesideTheDatabaseKeepNewIdsAboveTheOldOnes() throws Exception {
    JdbcStatusStore crashed = JdbcStatusStore.open(null, data); // not closed until the end: as after SIGKILL
    try {
      crashed.append(List.of(bare("n", Phase.INFO), bare("n", Phase.INFO)));
      // the database is lost (a new data directory holding only the side file, status.ids)
      Path fresh = Files.createDirectories(data.resolveSibling(data.getFileName() + "-lost"));
      Files.copy(data.resolve("status.ids"), fresh.resolve("status.ids"));
      try (JdbcStatusStore restarted = JdbcStatusStore.open(null, fresh)) {
        long id = restarted.append(List.of(bare("n", Phase.INFO))).get(0).id();
        assertTrue(id > 2 && id <= 2 + DatabaseFile.RESERVE + 1, "id " + id + ": above the 2 handed out, skipping at most RESERVE");
      } finally {
        try (Stream<Path> files = Files.list(fresh)) {
          for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(fresh);
      }
    } finally {
      crashed.close();
    }
  }

  @Test
  void closeReleasesEveryConnectionSoTheDatabaseFileAloneIsComplete() throws Exception {
    JdbcStatusStore store = JdbcStatusStore.open(null, data);
    store.append(List.of(full("node-a", Phase.FLASHING, 40)));
    store.after(0, 10); // a reader connection is open too
    assertTrue(Files.exists(data.resolve("status.db-wal")), "WAL mode: commits go to the -wal file while connections are open");
    store.close();
    // SQLite checkpoints and removes the WAL when its last connection closes: a connection left open would keep it
    assertFalse(Files.exists(data.resolve("status.db-wal")), "no connection left open");
    assertEquals(List.of(1L), StoreProbe.ids(data.resolve("status.db")));
  }

  @Test
  void anSqliteStoreIsThisServersOwn() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      assertFalse(store.shared(), "one server per SQLite file: no foreign commits to listen for");
    }
  }

  @Test
  void passwordsInDatabaseUrlsAreNeverShown() {
    assertEquals("jdbc:postgresql://db:5432/su?user=su&password=***&ssl=true",
        JdbcStatusStore.redact("jdbc:postgresql://db:5432/su?user=su&password=s3cret&ssl=true"));
    assertEquals("jdbc:postgresql://su:***@db/su", JdbcStatusStore.redact("jdbc:postgresql://su:s3cret@db/su"));
    StartupException e = assertThrows(StartupException.class,
        () -> JdbcStatusStore.open("jdbc:mysql://db/su?password=s3cret", data));
    assertTrue(e.getMessage().contains("'jdbc:mysql://db/su?password=***' is not supported") && !e.getMessage().contains("s3cret"),
        e.getMessage());
  }

  @Test
  void aMissingSchemaIsCreatedAndAVersionFromTheFutureRefused() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      assertEquals(0, store.lastId());
    }
    try (var c = StoreProbe.connect(data.resolve("status.db")); var s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')");
    }
    StartupException e = assertThrows(StartupException.class, () -> JdbcStatusStore.open(null, data));
    assertTrue(e.getMessage().contains("schema is at version 99") && e.getMessage().contains("upgrade smartupdate"), e.getMessage());
    assertFalse(Files.exists(data.resolve("status.db-wal")), "a failed open closes the connections it made");
  }

  private static final List<String> SUFFIXES = List.of("", "-wal", "-shm");

  private void moveDatabase(String to) throws Exception {
    for (String suffix : SUFFIXES) {
      Path file = data.resolve("status.db" + suffix);
      if (Files.exists(file)) Files.move(file, data.resolve(to + suffix));
    }
  }

  private void backup(JdbcStatusStore store, Path to) throws Exception {
    try (var c = StoreProbe.connect(data.resolve("status.db")); var s = c.createStatement()) {
      s.execute("VACUUM INTO '" + to + "'");
    }
  }

  private static List<Long> ids(List<StatusEvent> events) {
    return events.stream().map(StatusEvent::id).toList();
  }

  @Test
  void aDatabaseDeletedBeforeTheFirstWriteIsNoticedToo() throws Exception {
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      for (String suffix : SUFFIXES) Files.deleteIfExists(data.resolve("status.db" + suffix));
      assertThrows(SQLException.class, () -> store.append(List.of(bare("n", Phase.INFO))),
          "the file opened at start is gone: a commit would go into its ghost");
    }
  }

  @Test
  void readersFollowTheDatabaseFileThatIsThereNowNotTheOneMovedAway() throws Exception {
    Path first = data.resolveSibling(data.getFileName() + "-first.db");
    Path second = data.resolveSibling(data.getFileName() + "-second.db");
    try (JdbcStatusStore store = JdbcStatusStore.open(null, data)) {
      store.append(List.of(bare("n", Phase.INFO)));
      backup(store, first); // id 1
      store.append(List.of(bare("n", Phase.INFO)));
      moveDatabase("status.db.moved"); // kept, so no new file can reuse its inode
      assertThrows(SQLException.class, () -> store.append(List.of(bare("n", Phase.INFO))));
      Files.copy(first, data.resolve("status.db"));
      for (int i = 0; i < 8; i++) { // every reader of the pool (4) opens on the restored file
        assertEquals(List.of(1L), ids(store.after(0, 10)), "reads come from the restored file, not the moved one");
      }
      Files.copy(first, second);
      Files.move(second, data.resolve("status.db"), StandardCopyOption.REPLACE_EXISTING); // restored again
      assertEquals(3, store.append(List.of(bare("n", Phase.INFO))).get(0).id(), "ids go on above the 2 handed out");
      assertEquals(4, store.append(List.of(bare("n", Phase.INFO))).get(0).id(), "and the reopened file is the one watched now");
      assertEquals(List.of(1L, 3L, 4L), ids(store.after(0, 10)), "readers moved to the file in place now");
    } finally {
      Files.deleteIfExists(first);
      Files.deleteIfExists(second);
      for (String suffix : SUFFIXES) Files.deleteIfExists(data.resolve("status.db.moved" + suffix));
    }
  }
}
