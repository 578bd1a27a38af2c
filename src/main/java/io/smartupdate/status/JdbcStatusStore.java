package io.smartupdate.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store over JDBC: one writer connection (used by the group committer), a small read pool. */
final class JdbcStatusStore implements StatusStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcStatusStore.class);
  private static final int READERS = 4;
  private static final String COLUMNS = "id, node, phase, progress, component, message, at, received_at, source";

  private final String url;
  private final Dialect dialect;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private Connection writer;
  private Connection listener;

  private JdbcStatusStore(String url, Dialect dialect) {
    this.url = url;
    this.dialect = dialect;
  }

  static JdbcStatusStore open(String jdbcUrl, Path dataDir) {
    String url = jdbcUrl;
    if (url == null) {
      try {
        Files.createDirectories(dataDir);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
      }
      url = "jdbc:sqlite:" + dataDir.resolve("status.db");
    }
    Dialect dialect;
    if (url.startsWith("jdbc:sqlite:")) {
      dialect = Dialect.SQLITE;
    } else if (url.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRES;
    } else {
      throw new IllegalArgumentException("status database URL '" + redact(url) + "' is not supported; use "
          + "jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P or jdbc:sqlite:/path/status.db");
    }
    JdbcStatusStore store = new JdbcStatusStore(url, dialect);
    try {
      store.writer = store.connect();
      Migrations.apply(store.writer, dialect);
      for (int i = 0; i < READERS; i++) store.readers.add(store.connectReader());
      if (dialect == Dialect.POSTGRES) {
        store.listener = DriverManager.getConnection(url);
        try (Statement s = store.listener.createStatement()) {
          s.execute("LISTEN " + Dialect.CHANNEL);
        }
      }
      log.info("status store: {} (schema version {})", redact(url), dialect.migrations().size());
      return store;
    } catch (SQLException e) {
      store.close();
      throw new IllegalStateException("cannot open the status database " + redact(url) + ": " + e.getMessage(), e);
    }
  }

  /** Hides a password given in the URL. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/:@]*):[^@/]*@", "//$1:***@");
  }

  private Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    dialect.configure(connection);
    connection.setAutoCommit(false);
    return connection;
  }

  private Connection connectReader() throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    dialect.configure(connection);
    connection.setAutoCommit(true);
    return connection;
  }

  @Override
  public synchronized List<StatusEvent> append(List<StatusEvent> events) throws SQLException {
    if (writer == null || !writer.isValid(2)) {
      closeQuietly(writer);
      writer = connect();
    }
    try {
      dialect.lockWriters(writer);
      long id = lastId(writer);
      List<StatusEvent> stored = new ArrayList<>(events.size());
      try (PreparedStatement insert = writer.prepareStatement("INSERT INTO status_event (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)");
           PreparedStatement latest = writer.prepareStatement("INSERT INTO node_latest (node, event_id) VALUES (?, ?) "
               + "ON CONFLICT (node) DO UPDATE SET event_id = excluded.event_id")) {
        for (StatusEvent event : events) {
          StatusEvent e = event.withId(++id);
          insert.setLong(1, e.id());
          insert.setString(2, e.node());
          insert.setString(3, e.phase().json());
          if (e.progress() == null) insert.setNull(4, java.sql.Types.INTEGER); else insert.setInt(4, e.progress());
          insert.setString(5, e.component());
          insert.setString(6, e.message());
          insert.setString(7, e.at() == null ? null : e.at().toString());
          insert.setString(8, e.receivedAt().toString());
          insert.setString(9, e.source());
          insert.addBatch();
          latest.setString(1, e.node());
          latest.setLong(2, e.id());
          latest.addBatch();
          stored.add(e);
        }
        insert.executeBatch();
        latest.executeBatch();
      }
      dialect.notifyCommit(writer, id);
      writer.commit();
      return stored;
    } catch (SQLException e) {
      try {
        writer.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  @Override
  public List<StatusEvent> after(long afterId, int limit) throws SQLException {
    return query("SELECT " + COLUMNS + " FROM status_event WHERE id > ? ORDER BY id LIMIT ?", afterId, limit);
  }

  @Override
  public List<StatusEvent> history(String node, long afterId, int limit) throws SQLException {
    return query("SELECT " + COLUMNS + " FROM status_event WHERE node = ? AND id > ? ORDER BY id LIMIT ?", node, afterId, limit);
  }

  @Override
  public Overview overview() throws SQLException {
    List<StatusEvent> nodes = query("SELECT " + COLUMNS.replaceAll("(\\w+)", "e.$1")
        + " FROM node_latest l JOIN status_event e ON e.id = l.event_id ORDER BY e.node");
    Map<String, Integer> phases = new LinkedHashMap<>();
    for (Phase phase : Phase.values()) phases.put(phase.json(), 0);
    for (StatusEvent event : nodes) phases.merge(event.phase().json(), 1, Integer::sum);
    return new Overview(nodes, phases);
  }

  @Override
  public long lastId() throws SQLException {
    Connection connection = borrow();
    try {
      return lastId(connection);
    } finally {
      readers.add(connection);
    }
  }

  private static long lastId(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM status_event")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public boolean shared() {
    return dialect == Dialect.POSTGRES;
  }

  @Override
  public void awaitForeignCommit(int timeoutMillis) throws SQLException {
    if (listener == null) return;
    listener.unwrap(PGConnection.class).getNotifications(timeoutMillis);
  }

  private List<StatusEvent> query(String sql, Object... args) throws SQLException {
    Connection connection = borrow();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
      List<StatusEvent> events = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) events.add(row(rs));
      }
      return events;
    } finally {
      readers.add(connection);
    }
  }

  private Connection borrow() throws SQLException {
    Connection connection;
    try {
      connection = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    if (connection.isValid(2)) return connection;
    closeQuietly(connection);
    try {
      return connectReader();
    } catch (SQLException e) {
      readers.add(connection); // keep the pool size; the next borrower retries
      throw e;
    }
  }

  private static StatusEvent row(ResultSet rs) throws SQLException {
    String at = rs.getString(7);
    int progress = rs.getInt(4);
    Integer maybeProgress = rs.wasNull() ? null : progress;
    return new StatusEvent(rs.getLong(1), rs.getString(2), Phase.parse(rs.getString(3)), maybeProgress,
        rs.getString(5), rs.getString(6), at == null ? null : Instant.parse(at), Instant.parse(rs.getString(8)), rs.getString(9));
  }

  @Override
  public synchronized void close() {
    closeQuietly(writer);
    closeQuietly(listener);
    Connection c;
    while ((c = readers.poll()) != null) closeQuietly(c);
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing a database connection failed: {}", e.toString());
    }
  }
}
