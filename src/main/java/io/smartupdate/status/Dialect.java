package io.smartupdate.status;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.smartupdate.core.NativeLibraries;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import org.sqlite.util.LibraryLoaderUtil;

/** What differs between SQLite and PostgreSQL: connection set-up, transactions, locking and notification. */
enum Dialect {
  SQLITE {
    @Override
    Connection connect(String url, boolean create, int busyTimeoutMillis) throws SQLException {
      SqliteLibrary.prepare();
      SQLiteConfig config = new SQLiteConfig();
      // Only the first open may create the file: a reconnect that found it deleted would otherwise
      // start an empty database under the same name and hand out ids from 1 again.
      if (!create) config.resetOpenMode(SQLiteOpenMode.CREATE);
      // Nothing reads generated keys (ids are assigned here); left on, the driver matches every
      // statement against a regex and runs "SELECT last_insert_rowid()" after each INSERT.
      config.setGetGeneratedKeys(false);
      Connection connection = DriverManager.getConnection(url, config.toProperties());
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL"); // a commit returns only after the WAL is fsynced
        s.execute("PRAGMA busy_timeout=" + busyTimeoutMillis);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return connection;
    }

    /*
     * The writer stays in JDBC auto-commit mode and says BEGIN IMMEDIATE / COMMIT / ROLLBACK itself.
     * sqlite-jdbc's own transactions (autoCommit=false) run "commit; begin;" in one call: a DEFERRED
     * begin makes the first SELECT take a read snapshot, and SQLite upgrades a read transaction to a
     * write one without calling the busy handler, so a lock held elsewhere failed at once with
     * SQLITE_BUSY despite busy_timeout. Its IMMEDIATE mode would instead hold the write lock between
     * batches, and its "begin" after a failed COMMIT or ROLLBACK is skipped, which left the connection
     * silently committing each statement on its own. Saying BEGIN IMMEDIATE at the start of each
     * batch waits for the lock with the busy handler and leaves no hidden transaction state.
     */
    @Override
    void begin(Connection connection) throws SQLException {
      execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    void commit(Connection connection) throws SQLException {
      execute(connection, "COMMIT");
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      execute(connection, "ROLLBACK");
    }

    @Override
    void lockWriters(Connection connection) {
      // BEGIN IMMEDIATE already took the database's single write lock.
    }

    @Override
    void notifyCommit(Connection connection, long lastId) {
      // One server per SQLite file: nobody to notify.
    }

    @Override
    String serialKey() {
      return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    String lockRows(boolean skipLocked) {
      return ""; // BEGIN IMMEDIATE holds the only write lock: no other transaction reads to write meanwhile
    }
  },
  POSTGRES {
    @Override
    Connection connect(String url, boolean create, int busyTimeoutMillis) throws SQLException {
      Connection connection = DriverManager.getConnection(url);
      try (Statement s = connection.createStatement()) {
        s.execute("SET synchronous_commit = on");
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return connection;
    }

    @Override
    void begin(Connection connection) throws SQLException {
      if (connection.getAutoCommit()) connection.setAutoCommit(false); // the driver begins with the first statement
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
    }

    @Override
    void lockWriters(Connection connection) throws SQLException {
      // Writers from every server take turns, so ids are assigned (and become visible) in commit
      // order; a reader that has seen id N can never later find a smaller one appear.
      try (Statement s = connection.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      }
    }

    @Override
    void notifyCommit(Connection connection, long lastId) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("NOTIFY " + CHANNEL + ", '" + lastId + "'");
      }
    }

    @Override
    String serialKey() {
      return "BIGSERIAL PRIMARY KEY";
    }

    @Override
    String lockRows(boolean skipLocked) {
      // Skipped, a row another transaction holds is not waited for: a racing takeover loses at once.
      return skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
    }
  };

  static final String CHANNEL = "smartupdate_events";
  static final long LOCK_KEY = 0x5355_4556_4e54L; // "SUEVNT"

  /** A configured connection in auto-commit mode; {@code create} lets SQLite create a missing file. */
  abstract Connection connect(String url, boolean create, int busyTimeoutMillis) throws SQLException;

  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  abstract void lockWriters(Connection connection) throws SQLException;

  abstract void notifyCommit(Connection connection, long lastId) throws SQLException;

  /** A primary key the database numbers itself. */
  abstract String serialKey();

  /** What a SELECT in a transaction appends to lock the rows it reads; {@code skipLocked}: those another transaction holds are left out. */
  abstract String lockRows(boolean skipLocked);

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Versioned schema migrations; index i brings the schema to version i + 1. Same schema on both;
   * version 3's tables (the shared write token, the shared record of downloads) are used on
   * PostgreSQL only, where several servers meet; version 4 holds deploy runs; version 5's
   * heartbeats are PostgreSQL's only too; version 6 holds runs' owner leases and what a baseline
   * resume compares.
   */
  List<List<String>> migrations() {
    return List.of(List.of(
        "CREATE TABLE status_event (id BIGINT PRIMARY KEY, node VARCHAR(128) NOT NULL, phase VARCHAR(16) NOT NULL, "
            + "progress INTEGER, component TEXT, message TEXT, at VARCHAR(40), received_at VARCHAR(40) NOT NULL, source TEXT)",
        "CREATE INDEX status_event_node ON status_event (node, id)",
        "CREATE TABLE node_latest (node VARCHAR(128) PRIMARY KEY, event_id BIGINT NOT NULL)"),
        // 2: each node's last firmware inventory and its analysis (smartupdate analyze, /api/compliance).
        List.of("CREATE TABLE node_inventory (node VARCHAR(128) PRIMARY KEY, read_at VARCHAR(40) NOT NULL, stored_at VARCHAR(40) NOT NULL, "
            + "baseline VARCHAR(128) NOT NULL, inventory TEXT NOT NULL, findings TEXT NOT NULL)"),
        // 3: what servers on one PostgreSQL share: the write token and the record of downloads.
        List.of(
            "CREATE TABLE write_token (slot VARCHAR(16) PRIMARY KEY, token VARCHAR(128) NOT NULL, created_at VARCHAR(40) NOT NULL, "
                + "retires_at VARCHAR(40))",
            "CREATE TABLE download_record (seq " + serialKey() + ", server VARCHAR(128) NOT NULL, download_id VARCHAR(64) NOT NULL, "
                + "client VARCHAR(64) NOT NULL, path TEXT NOT NULL, byte_range TEXT, sent BIGINT NOT NULL, length BIGINT, size BIGINT, "
                + "started VARCHAR(40) NOT NULL, ended VARCHAR(40), result VARCHAR(16) NOT NULL, scheme VARCHAR(8), session_id VARCHAR(64))"),
        // 4: durable deploy runs: each run's plan and each step's state, so a run outlives the process that drives it.
        List.of(
            "CREATE TABLE deploy_run (id VARCHAR(64) PRIMARY KEY, started_at VARCHAR(40) NOT NULL, finished_at VARCHAR(40), "
                + "state VARCHAR(16) NOT NULL, baseline VARCHAR(128), image TEXT, sha256 VARCHAR(64), options TEXT NOT NULL)",
            "CREATE INDEX deploy_run_started ON deploy_run (started_at)",
            "CREATE TABLE deploy_step (run_id VARCHAR(64) NOT NULL, node VARCHAR(128) NOT NULL, step INTEGER NOT NULL, bmc VARCHAR(256) NOT NULL, "
                + "component_id TEXT, component TEXT, file TEXT NOT NULL, before_version TEXT, after_version TEXT, expected TEXT, "
                + "state VARCHAR(16) NOT NULL, result VARCHAR(16), reason TEXT, started_at VARCHAR(40), finished_at VARCHAR(40), duration_ms BIGINT, "
                + "task_uri TEXT, PRIMARY KEY (run_id, node, step))"),
        // 5: each server's heartbeat (the database's clock, in ms), so the others tell a dead server's downloads from live ones.
        List.of("CREATE TABLE server_heartbeat (server VARCHAR(128) PRIMARY KEY, seen_ms BIGINT NOT NULL)"),
        // 6: who drives a run until when (owner leases), and what a baseline run's resume compares (digest, each step's sha-256).
        List.of(
            "ALTER TABLE deploy_run ADD COLUMN owner VARCHAR(256)",
            "ALTER TABLE deploy_run ADD COLUMN lease_until VARCHAR(40)",
            "ALTER TABLE deploy_run ADD COLUMN baseline_digest VARCHAR(64)",
            "ALTER TABLE deploy_step ADD COLUMN sha256 VARCHAR(64)"));
  }

  /**
   * sqlite-jdbc loads its library from the start-up cache when there is one: otherwise it unpacks
   * it into the temp directory at every start, after listing that directory for stale copies.
   */
  private static final class SqliteLibrary {
    static {
      String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
      NativeLibraries.cached(Dialect.class.getClassLoader(), resource.substring(1)).ifPresent(library -> {
        System.setProperty("org.sqlite.lib.path", library.getParent().toString());
        System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
        System.setProperty("org.sqlite.tmpdir", library.getParent().toString());
      });
    }

    static void prepare() {
      // the work is the class's initialisation, once
    }
  }
}
