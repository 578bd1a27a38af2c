package io.smartupdate.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Versioned schema migrations, applied at start in one transaction (serialised across servers on PostgreSQL). */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  static void apply(Connection connection, Dialect dialect) throws SQLException {
    List<List<String>> migrations = dialect.migrations();
    dialect.begin(connection);
    try {
      dialect.lockWriters(connection);
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)");
      }
      int current;
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > migrations.size()) {
        throw new SQLException("the database schema is at version " + current + ", newer than this smartupdate knows ("
            + migrations.size() + "); upgrade smartupdate");
      }
      for (int version = current + 1; version <= migrations.size(); version++) {
        try (Statement s = connection.createStatement()) {
          for (String sql : migrations.get(version - 1)) s.execute(sql);
        }
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
          p.setInt(1, version);
          p.setString(2, Instant.now().toString());
          p.executeUpdate();
        }
        log.info("status database migrated to schema version {}", version);
      }
      dialect.commit(connection);
    } catch (SQLException e) {
      try {
        dialect.rollback(connection);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }
}
