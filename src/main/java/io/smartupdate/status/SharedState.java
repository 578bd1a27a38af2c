package io.smartupdate.status;

import io.smartupdate.auth.FileTokens;
import io.smartupdate.auth.Tokens;
import io.smartupdate.downloads.DownloadShare;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * What servers on one PostgreSQL status store share besides the events: the write token and the
 * record of downloads. On SQLite (one server) the token stays in {@code data/token} and nothing
 * is shared, exactly as before.
 */
public final class SharedState {
  private SharedState() {}

  /** Whether {@code jdbcUrl} is a store several servers can share. */
  public static boolean shared(String jdbcUrl) {
    return jdbcUrl != null && JdbcStatusStore.dialect(jdbcUrl) == Dialect.POSTGRES;
  }

  /**
   * Where the write token lives for a server with this status database: {@code data/token}, or the
   * shared table (migrated first, so the CLI can use it before any server ran). Throws
   * IllegalArgument/IllegalState with a readable message.
   */
  public static Tokens tokens(String jdbcUrl, Path dataDir, Clock clock) {
    if (!shared(jdbcUrl)) return new FileTokens(dataDir, clock);
    try (Connection connection = Dialect.POSTGRES.connect(jdbcUrl, false, JdbcStatusStore.BUSY_TIMEOUT_MILLIS)) {
      Migrations.apply(connection, Dialect.POSTGRES);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the status database " + JdbcStatusStore.redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
    return new SharedTokens(jdbcUrl, dataDir, clock);
  }

  /** The shared record of downloads for the server named {@code server}, or null when the store is not shared. */
  public static DownloadShare downloads(String jdbcUrl, String server) {
    return shared(jdbcUrl) ? new SharedDownloads(jdbcUrl, server) : null;
  }
}
