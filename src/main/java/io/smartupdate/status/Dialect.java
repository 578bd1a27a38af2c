package io.smartupdate.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** What differs between SQLite and PostgreSQL: connection set-up, locking and notification. */
enum Dialect {
  SQLITE {
    @Override
    void configure(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL"); // a commit returns only after the WAL is fsynced
        s.execute("PRAGMA busy_timeout=10000");
      }
    }

    @Override
    void lockWriters(Connection connection) {
      // SQLite already allows one writer at a time per database file.
    }

    @Override
    void notifyCommit(Connection connection, long lastId) {
      // One server per SQLite file: nobody to notify.
    }
  },
  POSTGRES {
    @Override
    void configure(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("SET synchronous_commit = on");
      }
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
  };

  static final String CHANNEL = "smartupdate_events";
  static final long LOCK_KEY = 0x5355_4556_4e54L; // "SUEVNT"

  abstract void configure(Connection connection) throws SQLException;

  abstract void lockWriters(Connection connection) throws SQLException;

  abstract void notifyCommit(Connection connection, long lastId) throws SQLException;

  /** Versioned schema migrations; index i brings the schema to version i + 1. Same schema on both. */
  List<List<String>> migrations() {
    return List.of(List.of(
        "CREATE TABLE status_event (id BIGINT PRIMARY KEY, node VARCHAR(128) NOT NULL, phase VARCHAR(16) NOT NULL, "
            + "progress INTEGER, component TEXT, message TEXT, at VARCHAR(40), received_at VARCHAR(40) NOT NULL, source TEXT)",
        "CREATE INDEX status_event_node ON status_event (node, id)",
        "CREATE TABLE node_latest (node VARCHAR(128) PRIMARY KEY, event_id BIGINT NOT NULL)"));
  }
}
