package io.smartupdate.status;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.auth.TokenSet;
import io.smartupdate.auth.Tokens;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The write token of every server on one PostgreSQL, in table {@code write_token} (slots
 * {@code current} and {@code previous}). The first server seeds it with its own {@code data/token},
 * so nodes that already hold that token keep working. Each server keeps a copy in its
 * {@code data/token}, so whatever reads the token there (the CLI, scripts) reads the shared one.
 */
final class SharedTokens implements Tokens {
  private final String url;
  private final Path dataDir;
  private final Clock clock;
  private Connection connection; // guarded by this
  private String mirrored; // the token last copied to data/token; guarded by this

  SharedTokens(String url, Path dataDir, Clock clock) {
    this.url = url;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  @Override
  public synchronized TokenSet load() {
    try {
      TokenSet tokens = read();
      if (tokens == null) {
        // Seeded from this server's token: racing servers both insert, the first wins, all read the winner.
        try (PreparedStatement seed = connection().prepareStatement(
            "INSERT INTO write_token (slot, token, created_at) VALUES ('current', ?, ?) ON CONFLICT (slot) DO NOTHING")) {
          seed.setString(1, TokenFile.loadOrCreate(dataDir));
          seed.setString(2, clock.instant().toString());
          seed.executeUpdate();
        }
        tokens = read();
      }
      mirror(tokens.current());
      return tokens;
    } catch (SQLException e) {
      drop();
      throw new IllegalStateException("cannot read the shared write token from " + where() + ": " + e.getMessage(), e);
    }
  }

  private TokenSet read() throws SQLException {
    String current = null;
    String previous = null;
    Instant until = null;
    try (PreparedStatement select = connection().prepareStatement("SELECT slot, token, retires_at FROM write_token");
         ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        if (rs.getString(1).equals("current")) {
          current = rs.getString(2);
        } else if (rs.getString(1).equals("previous") && rs.getString(3) != null) {
          previous = rs.getString(2);
          until = Instant.parse(rs.getString(3));
        }
      }
    }
    if (current == null) return null;
    if (previous == null || !until.isAfter(clock.instant())) return TokenSet.of(current);
    return new TokenSet(current, previous, until);
  }

  @Override
  public synchronized TokenSet rotate(Duration grace) {
    load(); // there is a current token to retire
    String fresh = TokenFile.generate();
    Instant now = clock.instant();
    Instant until = now.plus(grace);
    Connection c = null;
    try {
      c = connection();
      c.setAutoCommit(false);
      String old;
      // The row lock serialises rotations from several places: the second one retires the first's token.
      try (PreparedStatement lock = c.prepareStatement("SELECT token FROM write_token WHERE slot = 'current' FOR UPDATE");
           ResultSet rs = lock.executeQuery()) {
        rs.next();
        old = rs.getString(1);
      }
      try (PreparedStatement drop = c.prepareStatement("DELETE FROM write_token WHERE slot = 'previous'");
           PreparedStatement retire = c.prepareStatement("UPDATE write_token SET slot = 'previous', retires_at = ? WHERE slot = 'current'");
           PreparedStatement insert = c.prepareStatement("INSERT INTO write_token (slot, token, created_at) VALUES ('current', ?, ?)")) {
        drop.executeUpdate();
        retire.setString(1, until.toString());
        retire.executeUpdate();
        insert.setString(1, fresh);
        insert.setString(2, now.toString());
        insert.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
      mirror(fresh);
      return new TokenSet(fresh, old, until);
    } catch (SQLException e) {
      drop();
      throw new IllegalStateException("cannot rotate the shared write token in " + where() + ": " + e.getMessage(), e);
    }
  }

  /** Copies the shared token to data/token when it changed. */
  private void mirror(String current) {
    if (current.equals(mirrored)) return;
    TokenFile.write(dataDir, current);
    mirrored = current;
  }

  private Connection connection() throws SQLException {
    if (connection == null || !connection.isValid(2)) {
      JdbcStatusStore.closeQuietly(connection);
      connection = null;
      connection = Dialect.POSTGRES.connect(url, false, JdbcStatusStore.BUSY_TIMEOUT_MILLIS);
    }
    return connection;
  }

  /** After a failure the connection starts over: no transaction state survives an error. */
  private void drop() {
    JdbcStatusStore.closeQuietly(connection);
    connection = null;
  }

  @Override
  public String where() {
    return "the shared status database " + JdbcStatusStore.redact(url);
  }

  @Override
  public synchronized void close() {
    drop();
  }
}
