package io.smartupdate.status;

import io.smartupdate.core.Phase;
import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over JDBC: one writer connection (used by the group committer), a small read pool.
 * After any failed batch the writer starts over on a new connection, so no transaction state
 * survives an error; see {@link WriterRecovery} for deciding what a failed COMMIT did.
 */
final class JdbcStatusStore implements StatusStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcStatusStore.class);
  private static final int READERS = 4;
  static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final String COLUMNS = "id, node, phase, progress, component, message, at, received_at, source";

  private final String url;
  private final Dialect dialect;
  private final int busyTimeoutMillis;
  private final DatabaseFile file; // SQLite on a path only
  private final SqliteFileGuard guard; // with the file
  private final WriterRecovery recovery;
  private final ReaderPool readers;
  private final Connection listener; // PostgreSQL only: LISTENs for other servers' commits
  private Connection writer;
  private Statements statements; // prepared on the writer, kept while it is the same connection
  private long handedOut; // the highest id acknowledged (or perhaps committed): never handed out again

  private JdbcStatusStore(String url, Dialect dialect, int busyTimeoutMillis, DatabaseFile file, Connection writer,
      ReaderPool readers, Connection listener, long handedOut) {
    this.url = url;
    this.dialect = dialect;
    this.busyTimeoutMillis = busyTimeoutMillis;
    this.file = file;
    this.writer = writer;
    this.readers = readers;
    this.listener = listener;
    this.handedOut = handedOut;
    this.recovery = new WriterRecovery(dialect, url, busyTimeoutMillis);
    this.guard = file == null ? null : new SqliteFileGuard(file, dialect, this::connect, this::dropConnections, this::useWriter);
  }

  static JdbcStatusStore open(String jdbcUrl, Path dataDir) {
    return open(jdbcUrl, dataDir, BUSY_TIMEOUT_MILLIS);
  }

  /** {@code busyTimeoutMillis}: how long a SQLite write waits for a lock held by another process. */
  static JdbcStatusStore open(String jdbcUrl, Path dataDir, int busyTimeoutMillis) {
    String url = jdbcUrl != null ? jdbcUrl : defaultUrl(dataDir);
    Dialect dialect = dialect(url);
    Connection writer = null;
    ReaderPool readers = null;
    Connection listener = null;
    try {
      DatabaseFile file = dialect == Dialect.SQLITE ? DatabaseFile.of(url) : null;
      writer = dialect.connect(url, true, busyTimeoutMillis);
      Migrations.apply(writer, dialect);
      long handedOut = lastId(writer);
      readers = new ReaderPool(READERS, () -> dialect.connect(url, false, busyTimeoutMillis));
      if (file != null) {
        file.opened();
        if (file.recorded() > handedOut) {
          log.info("status ids continue above {} (recorded beside {}, whose highest id is {})", file.recorded(),
              file.path().getFileName(), handedOut);
          handedOut = file.recorded();
        }
      }
      if (dialect == Dialect.POSTGRES) {
        listener = DriverManager.getConnection(url);
        try (Statement s = listener.createStatement()) {
          s.execute("LISTEN " + Dialect.CHANNEL);
        }
      }
      log.info("status store: {} (schema version {})", redact(url), dialect.migrations().size());
      return new JdbcStatusStore(url, dialect, busyTimeoutMillis, file, writer, readers, listener, handedOut);
    } catch (SQLException | IOException e) {
      closeQuietly(writer);
      closeQuietly(listener);
      if (readers != null) readers.close();
      throw new StartupException("cannot open the status database " + redact(url) + ": " + e.getMessage(), e);
    }
  }

  private static String defaultUrl(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    return "jdbc:sqlite:" + dataDir.resolve("status.db");
  }

  /** The dialect of a status database URL; a StartupException naming the supported ones otherwise. */
  static Dialect dialect(String url) {
    if (url.startsWith("jdbc:sqlite:")) return Dialect.SQLITE;
    if (url.startsWith("jdbc:postgresql:")) return Dialect.POSTGRES;
    throw new StartupException("status database URL '" + redact(url) + "' is not supported; use "
        + "jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P or jdbc:sqlite:/path/status.db");
  }

  /** Hides a password given in the URL. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/:@]*):[^@/]*@", "//$1:***@");
  }

  private void dropConnections() {
    closeQuietly(writer);
    writer = null;
    readers.retire();
  }

  private void useWriter(Connection fresh) {
    writer = fresh;
    readers.retire();
  }

  /** Opens an existing database only: see {@link Dialect#connect}. */
  private Connection connect() throws SQLException {
    return dialect.connect(url, false, busyTimeoutMillis);
  }

  @Override
  public synchronized List<StatusEvent> append(List<StatusEvent> events) throws SQLException {
    if (guard != null) guard.beforeWrite(handedOut);
    if (writer == null || !writer.isValid(2)) {
      closeQuietly(writer);
      writer = null;
      writer = connect();
    }
    long first = 0;
    boolean committing = false;
    List<StatusEvent> stored;
    try {
      dialect.begin(writer);
      dialect.lockWriters(writer);
      first = Math.max(lastId(writer), handedOut) + 1;
      if (file != null) file.reserve(first + events.size() - 1);
      stored = insert(events, first);
      dialect.notifyCommit(writer, first + events.size() - 1);
      committing = true;
      dialect.commit(writer);
    } catch (SQLException | IOException | RuntimeException e) {
      recovery.abandon(writer);
      writer = null;
      if (!committing) throw WriterRecovery.asSql(e, file);
      WriterRecovery.Outcome outcome = recovery.check(first, events.size(), e);
      if (outcome == WriterRecovery.Outcome.IN_DOUBT) handedOut = Math.max(handedOut, first + events.size() - 1);
      if (outcome != WriterRecovery.Outcome.STORED) throw WriterRecovery.asSql(e, file);
      stored = numbered(events, first);
    }
    if (guard != null) guard.afterCommit(handedOut);
    handedOut = first + events.size() - 1;
    return stored;
  }

  /** The writer's two INSERTs, prepared once per connection rather than once per batch. */
  private record Statements(Connection on, PreparedStatement event, PreparedStatement latest) {
    static Statements prepare(Connection writer) throws SQLException {
      PreparedStatement event = writer.prepareStatement("INSERT INTO status_event (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)");
      try {
        return new Statements(writer, event, writer.prepareStatement("INSERT INTO node_latest (node, event_id) VALUES (?, ?) "
            + "ON CONFLICT (node) DO UPDATE SET event_id = excluded.event_id"));
      } catch (SQLException e) {
        event.close();
        throw e;
      }
    }
  }

  private Statements statements() throws SQLException {
    if (statements == null || statements.on() != writer) {
      statements = null; // those of an abandoned connection went with it
      statements = Statements.prepare(writer);
    }
    return statements;
  }

  private List<StatusEvent> insert(List<StatusEvent> events, long first) throws SQLException {
    List<StatusEvent> stored = numbered(events, first);
    // A failure anywhere abandons the writer connection, and these statements (and any half-built batch) with it.
    PreparedStatement insert = statements().event();
    PreparedStatement latest = statements().latest();
    for (StatusEvent e : stored) {
      insert.setLong(1, e.id());
      insert.setString(2, e.node());
      insert.setString(3, e.phase().json());
      if (e.progress() == null) insert.setNull(4, Types.INTEGER); else insert.setInt(4, e.progress());
      insert.setString(5, e.component());
      insert.setString(6, e.message());
      insert.setString(7, e.at() == null ? null : e.at().toString());
      insert.setString(8, e.receivedAt().toString());
      insert.setString(9, e.source());
      insert.addBatch();
      latest.setString(1, e.node());
      latest.setLong(2, e.id());
      latest.addBatch();
    }
    insert.executeBatch();
    latest.executeBatch();
    return stored;
  }

  private static List<StatusEvent> numbered(List<StatusEvent> events, long first) {
    List<StatusEvent> stored = new ArrayList<>(events.size());
    for (StatusEvent event : events) stored.add(event.withId(first + stored.size()));
    return stored;
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
    return readers.with(JdbcStatusStore::lastId);
  }

  static long lastId(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM status_event")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Inventories inventories() {
    return new JdbcInventories(readers);
  }

  @Override
  public DeployRuns deployRuns() {
    return new JdbcDeployRuns(readers, dialect);
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
    return readers.with(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
        List<StatusEvent> events = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) events.add(row(rs));
        }
        return events;
      }
    });
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
    if (file != null && handedOut > 0) {
      try {
        file.settle(handedOut);
      } catch (IOException e) {
        log.warn("cannot record the highest status id ({}) beside {}: {}", handedOut, file.path(), e.toString());
      }
    }
    closeQuietly(writer);
    closeQuietly(listener);
    readers.close();
  }

  static void closeQuietly(Connection connection) {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing a database connection failed: {}", e.toString());
    }
  }
}
