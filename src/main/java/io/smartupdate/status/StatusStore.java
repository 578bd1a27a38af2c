package io.smartupdate.status;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Durable status events: SQLite in data/ by default, PostgreSQL when several servers share one store. */
interface StatusStore extends AutoCloseable {
  /** Latest event of every node, by node name. */
  record Overview(List<StatusEvent> nodes, Map<String, Integer> phases) {}

  /**
   * Stores the events in one transaction and returns them with their ids once the transaction
   * is durable (committed and synced); ids are assigned in commit order.
   */
  List<StatusEvent> append(List<StatusEvent> events) throws SQLException;

  /** Events with an id greater than {@code afterId}, oldest first. */
  List<StatusEvent> after(long afterId, int limit) throws SQLException;

  /** One node's events with an id greater than {@code afterId}, oldest first. */
  List<StatusEvent> history(String node, long afterId, int limit) throws SQLException;

  Overview overview() throws SQLException;

  /** The highest id stored, 0 when empty. */
  long lastId() throws SQLException;

  /** Whether other servers may write to the same store (their commits then arrive by notification). */
  boolean shared();

  /** Blocks until another server commits or {@code timeoutMillis} pass; returns at once for unshared stores. */
  void awaitForeignCommit(int timeoutMillis) throws SQLException, InterruptedException;

  /** Each node's last inventory and analysis, in the same database. */
  Inventories inventories();

  /** Deploy runs and their steps, in the same database. */
  DeployRuns deployRuns();

  @Override
  void close();

  /** Opens (and migrates) the store: {@code jdbcUrl} null means SQLite at {@code dataDir}/status.db. */
  static StatusStore open(String jdbcUrl, Path dataDir) {
    return JdbcStatusStore.open(jdbcUrl, dataDir);
  }
}
