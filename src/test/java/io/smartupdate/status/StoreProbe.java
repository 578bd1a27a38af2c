package io.smartupdate.status;

import io.smartupdate.core.Phase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Looks at a SQLite status database over a connection of its own, as an operator's sqlite3 would. */
final class StoreProbe {
  private StoreProbe() {}

  static StatusEvent event(String node, String message) {
    return new StatusEvent(0, node, Phase.parse("info"), null, null, message, null, Instant.now(), "test");
  }

  /** The ids committed to the database, in order. */
  static List<Long> ids(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM status_event ORDER BY id")) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) ids.add(rs.getLong(1));
      return ids;
    }
  }

  static Connection connect(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }
}
