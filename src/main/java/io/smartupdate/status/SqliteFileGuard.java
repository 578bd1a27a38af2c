package io.smartupdate.status;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's writes off a SQLite file that was deleted or replaced while open: SQLite would
 * go on committing into the unlinked inode, and the events would be gone at the next start. Once
 * {@link DatabaseFile#moved} reports it, the connections are dropped and writes are refused, naming
 * the file; once a file is back at the path (a restored backup), it is reopened and writes resume.
 */
final class SqliteFileGuard {
  private static final Logger log = LoggerFactory.getLogger(SqliteFileGuard.class);

  private enum State { WATCHING, REFUSING }

  private final DatabaseFile file;
  private final Dialect dialect;
  private final ReaderPool.Opener connect;
  private final Runnable lostFile;
  private final Consumer<Connection> fileBack;
  private State state = State.WATCHING;
  private Path lost; // the file found deleted or replaced, while REFUSING
  private long idsAbove; // the highest id handed out when it was found, while REFUSING

  /**
   * @param lostFile drops the writer and retires the readers: they would only feed the lost file's ghost
   * @param fileBack makes the connection given the writer, and has the readers start over on the file now at the path
   */
  SqliteFileGuard(DatabaseFile file, Dialect dialect, ReaderPool.Opener connect, Runnable lostFile,
      Consumer<Connection> fileBack) {
    this.file = file;
    this.dialect = dialect;
    this.connect = connect;
    this.lostFile = lostFile;
    this.fileBack = fileBack;
  }

  /** Before a write: passes while the file is the one opened, reopens it once it is back, else throws. */
  void beforeWrite(long handedOut) throws SQLException {
    if (state == State.WATCHING) {
      afterCommit(handedOut);
      return;
    }
    if (!file.present()) throw new SQLException(refusal());
    Connection fresh = connect.open();
    try {
      Migrations.apply(fresh, dialect);
      file.opened();
    } catch (SQLException | IOException e) {
      JdbcStatusStore.closeQuietly(fresh);
      throw new SQLException(refusal() + " (reopening it failed: " + e.getMessage() + ")", e);
    }
    fileBack.accept(fresh);
    state = State.WATCHING;
    lost = null;
    log.info("status store: {} is back; storing events with ids above {}", file.path(), handedOut);
  }

  /** After a commit, before acknowledging it: a commit into a file that is gone was not stored. */
  void afterCommit(long handedOut) throws SQLException {
    Path moved = file.moved();
    if (moved == null) return;
    state = State.REFUSING;
    lost = moved;
    idsAbove = handedOut;
    lostFile.run();
    throw new SQLException(refusal());
  }

  private String refusal() {
    return "the status database file " + lost + " was deleted or replaced while the server was running, so new "
        + "events are refused rather than stored where they would be lost; restore " + file.path().getFileName()
        + " in " + file.path().getParent() + " or restart the server to start a new database there (ids continue above "
        + idsAbove + ")";
  }
}
