package io.smartupdate.status;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the writer does after a failed batch. SQLite may or may not have rolled the transaction
 * back itself (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY can do either), so the state of a failed
 * connection is a guess; instead of guessing, the writer rolls back what may be open, closes the
 * connection, and the next batch starts on a new one.
 */
final class WriterRecovery {
  private static final Logger log = LoggerFactory.getLogger(WriterRecovery.class);

  enum Outcome { STORED, NOT_STORED, IN_DOUBT }

  private final Dialect dialect;
  private final String url;
  private final int busyTimeoutMillis;

  WriterRecovery(Dialect dialect, String url, int busyTimeoutMillis) {
    this.dialect = dialect;
    this.url = url;
    this.busyTimeoutMillis = busyTimeoutMillis;
  }

  void abandon(Connection writer) {
    if (writer == null) return;
    try {
      dialect.rollback(writer);
    } catch (SQLException e) {
      log.debug("rollback after a failed batch: {}", e.toString()); // "no transaction is active": SQLite rolled back already
    }
    JdbcStatusStore.closeQuietly(writer);
  }

  /**
   * A COMMIT that reports an error may still have made the batch durable (an fsync error after the
   * WAL frames were written; a connection lost just after PostgreSQL committed). Answering "not
   * stored" then is a lie that a retry turns into a duplicate, so ask the database: the batch is
   * one transaction, so its ids are either all there or none.
   */
  Outcome check(long first, int count, Exception failure) {
    try (Connection c = dialect.connect(url, false, busyTimeoutMillis);
         PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM status_event WHERE id BETWEEN ? AND ?")) {
      s.setLong(1, first);
      s.setLong(2, first + count - 1);
      long found;
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        found = rs.getLong(1);
      }
      if (found == count) {
        log.warn("COMMIT of ids {}-{} reported {}, yet they are stored; acknowledging them", first, first + count - 1, failure.toString());
        return Outcome.STORED;
      }
      if (found == 0) return Outcome.NOT_STORED;
      log.error("COMMIT of ids {}-{} failed ({}) and left {} of {} rows", first, first + count - 1, failure.toString(), found, count);
    } catch (SQLException e) {
      log.error("COMMIT of ids {}-{} failed ({}) and the database cannot tell whether it happened: {}",
          first, first + count - 1, failure.toString(), e.toString());
    }
    return Outcome.IN_DOUBT;
  }

  static SQLException asSql(Exception e, DatabaseFile file) {
    if (e instanceof SQLException sql) return sql;
    if (e instanceof IOException io) {
      return new SQLException("cannot record the highest status id beside " + file.path() + ": " + io.getMessage(), io);
    }
    throw (RuntimeException) e;
  }
}
