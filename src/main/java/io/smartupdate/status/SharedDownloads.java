package io.smartupdate.status;

import io.smartupdate.core.RateLimitedLog;
import io.smartupdate.core.Threads;
import io.smartupdate.downloads.DownloadRecord;
import io.smartupdate.downloads.DownloadShare;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of downloads shared through PostgreSQL's table {@code download_record}. Serving only
 * hands snapshots to {@link #publish}, which coalesces them in memory (the latest of each download);
 * a writer thread stores them every {@value #FLUSH_MILLIS} ms in one transaction and NOTIFYs, as the
 * status store does for events. A reader thread LISTENs and reads the other servers' rows in
 * {@code seq} order; writers take an advisory lock, so rows become visible in {@code seq} order and
 * reading "after the last seq seen" misses none. The writer also beats in {@code server_heartbeat},
 * and the reader reports servers gone silent ({@link Heartbeats}): their downloads in flight never end
 * by themselves.
 */
final class SharedDownloads implements DownloadShare {
  private static final Logger log = LoggerFactory.getLogger(SharedDownloads.class);
  static final String CHANNEL = "smartupdate_downloads";
  private static final long LOCK_KEY = 0x5355_444f_574eL; // "SUDOWN"
  static final long FLUSH_MILLIS = 500;
  /** Pending snapshots kept while the database is away; past that the oldest are dropped, never serving slowed. */
  static final int MAX_PENDING = 20_000;
  /** Rows kept in the table: a few days of a busy fleet; older ones are pruned by whichever server writes. */
  static final long KEEP_ROWS = 200_000;
  /** How many of the other servers' recent records a starting server reads. */
  static final int HISTORY = 4_000;
  private static final int READ_BATCH = 1_000;
  private static final String COLUMNS = "server, download_id, client, path, byte_range, sent, length, size, started, ended, result, "
      + "scheme, session_id";

  private final String url;
  private final String server;
  private final Map<String, DownloadRecord> pending = new LinkedHashMap<>(); // guarded by itself
  private final RateLimitedLog failures = new RateLimitedLog(log, 60_000);
  private final Thread writerThread;
  private final Thread readerThread;
  private volatile DownloadShare.Listener subscriber;
  private volatile boolean closed;
  private long dropped; // guarded by pending
  private int unsent; // the batch being written; guarded by pending
  private long flushes; // writer thread only
  private final Heartbeats heartbeats;
  private Connection writer; // writer thread only
  private Connection listener; // reader thread only

  SharedDownloads(String url, String server) {
    this.url = url;
    this.server = server;
    this.heartbeats = new Heartbeats(server);
    this.writerThread = Threads.daemon("downloads-share-write").newThread(this::writeLoop);
    this.readerThread = Threads.daemon("downloads-share-read").newThread(this::readLoop);
    writerThread.start();
  }

  @Override
  public void publish(List<DownloadRecord> records) {
    synchronized (pending) {
      for (DownloadRecord record : records) {
        pending.remove(record.id());
        pending.put(record.id(), record);
      }
      Iterator<DownloadRecord> oldest = pending.values().iterator();
      while (pending.size() > MAX_PENDING && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
        dropped++;
      }
    }
  }

  @Override
  public int unshared() {
    synchronized (pending) {
      return pending.size() + unsent;
    }
  }

  @Override
  public void subscribe(DownloadShare.Listener listener) {
    if (subscriber != null) throw new IllegalStateException("the shared downloads have one subscriber");
    subscriber = listener;
    readerThread.start();
  }

  private void writeLoop() {
    while (!closed) {
      sleep(FLUSH_MILLIS);
      flush();
      beat();
    }
  }

  /** Says "alive" (see {@link Heartbeats}); a failure is retried at the next round. */
  private void beat() {
    try {
      if (writer == null) writer = Dialect.POSTGRES.connect(url, false, JdbcStatusStore.BUSY_TIMEOUT_MILLIS);
      heartbeats.beat(writer);
    } catch (SQLException e) {
      JdbcStatusStore.closeQuietly(writer);
      writer = null;
      if (!closed) failures.warn("cannot write this server's heartbeat to {} (retrying): {}", JdbcStatusStore.redact(url), e.toString());
    }
  }

  /** Stores what is pending; on failure puts it back (unless newer snapshots came meanwhile) for the next try. */
  private void flush() {
    List<DownloadRecord> batch;
    long lost;
    synchronized (pending) {
      if (pending.isEmpty()) return;
      batch = new ArrayList<>(pending.values());
      pending.clear();
      unsent = batch.size();
      lost = dropped;
      dropped = 0;
    }
    if (lost > 0) failures.warn("{} download records were not shared: the database lagged too far behind", lost);
    try {
      write(batch);
      synchronized (pending) {
        unsent = 0;
      }
    } catch (SQLException e) {
      JdbcStatusStore.closeQuietly(writer);
      writer = null;
      synchronized (pending) {
        for (DownloadRecord record : batch) pending.putIfAbsent(record.id(), record);
        unsent = 0;
      }
      if (!closed) failures.warn("cannot share download records through {} (retrying): {}", JdbcStatusStore.redact(url), e.toString());
      sleep(1000);
    }
  }

  private void write(List<DownloadRecord> batch) throws SQLException {
    if (writer == null) writer = Dialect.POSTGRES.connect(url, false, JdbcStatusStore.BUSY_TIMEOUT_MILLIS);
    writer.setAutoCommit(false);
    try (Statement s = writer.createStatement();
         PreparedStatement insert = writer.prepareStatement("INSERT INTO download_record (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      for (DownloadRecord r : batch) {
        insert.setString(1, server);
        insert.setString(2, r.id());
        insert.setString(3, r.client());
        insert.setString(4, r.path());
        insert.setString(5, r.range());
        insert.setLong(6, r.sent());
        setLong(insert, 7, r.length());
        setLong(insert, 8, r.size());
        insert.setString(9, r.started().toString());
        insert.setString(10, r.ended() == null ? null : r.ended().toString());
        insert.setString(11, r.result());
        insert.setString(12, r.scheme());
        insert.setString(13, r.session());
        insert.addBatch();
      }
      insert.executeBatch();
      if (++flushes % 1000 == 0) {
        s.execute("DELETE FROM download_record WHERE seq <= (SELECT MAX(seq) FROM download_record) - " + KEEP_ROWS);
      }
      s.execute("NOTIFY " + CHANNEL);
      writer.commit();
    } catch (SQLException e) {
      try {
        writer.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) statement.setNull(index, Types.BIGINT); else statement.setLong(index, value);
  }

  private void readLoop() {
    long last = -1;
    while (!closed) {
      try {
        if (listener == null) {
          listener = Dialect.POSTGRES.connect(url, false, JdbcStatusStore.BUSY_TIMEOUT_MILLIS);
          try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
          }
          if (last < 0) last = history();
          heartbeats.connected();
        }
        last = readAfter(last);
        heartbeats.check(listener, subscriber);
        // A notification wakes the read at once; the timeout covers one missed while reconnecting.
        listener.unwrap(PGConnection.class).getNotifications(1000);
      } catch (SQLException e) {
        JdbcStatusStore.closeQuietly(listener);
        listener = null;
        if (!closed) failures.warn("cannot read other servers' download records (retrying): {}", e.toString());
        sleep(1000);
      }
    }
    JdbcStatusStore.closeQuietly(listener);
  }

  /** Delivers the other servers' latest records, up to {@value #HISTORY}; returns the seq to read after. */
  private long history() throws SQLException {
    long newest;
    try (Statement s = listener.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM download_record")) {
      rs.next();
      newest = rs.getLong(1);
    }
    List<DownloadRecord> records = new ArrayList<>();
    try (PreparedStatement select = listener.prepareStatement("SELECT seq, " + COLUMNS
        + " FROM download_record WHERE seq <= ? AND server <> ? ORDER BY seq DESC LIMIT " + HISTORY)) {
      select.setLong(1, newest);
      select.setString(2, server);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) records.add(row(rs));
      }
    }
    Collections.reverse(records);
    deliver(records);
    return newest;
  }

  private long readAfter(long after) throws SQLException {
    long last = after;
    int read;
    do {
      List<DownloadRecord> records = new ArrayList<>();
      try (PreparedStatement select = listener.prepareStatement("SELECT seq, " + COLUMNS
          + " FROM download_record WHERE seq > ? AND server <> ? ORDER BY seq LIMIT " + READ_BATCH)) {
        select.setLong(1, last);
        select.setString(2, server);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            last = rs.getLong(1);
            records.add(row(rs));
          }
        }
      }
      read = records.size();
      deliver(records);
    } while (read == READ_BATCH && !closed);
    return last;
  }

  private void deliver(List<DownloadRecord> records) {
    if (records.isEmpty()) return;
    try {
      subscriber.received(records);
    } catch (RuntimeException e) {
      log.warn("taking in other servers' download records failed: {}", e.toString());
    }
  }

  private static DownloadRecord row(ResultSet rs) throws SQLException {
    long length = rs.getLong(8);
    Long maybeLength = rs.wasNull() ? null : length;
    long size = rs.getLong(9);
    Long maybeSize = rs.wasNull() ? null : size;
    String ended = rs.getString(11);
    return new DownloadRecord(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), maybeLength,
        maybeSize, Instant.parse(rs.getString(10)), ended == null ? null : Instant.parse(ended), rs.getString(12),
        rs.getString(13), rs.getString(14), rs.getString(2));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    readerThread.interrupt();
    try {
      writerThread.join(FLUSH_MILLIS * 4); // its last flush stores what ended just before the stop
      readerThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!writerThread.isAlive()) {
      flush();
      JdbcStatusStore.closeQuietly(writer);
    }
  }
}
