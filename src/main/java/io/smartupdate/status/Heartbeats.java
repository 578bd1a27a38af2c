package io.smartupdate.status;

import io.smartupdate.downloads.DownloadShare;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Servers' heartbeats in {@code server_heartbeat}, by the database's clock (servers' clocks may
 * differ): {@link #beat} says "alive" each second, {@link #check} tells which other servers have
 * been silent for {@value #SILENT_MILLIS} ms and which came back. The beat runs on the writer's
 * thread, the check on the reader's: each half keeps its own state.
 */
final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  static final long BEAT_MILLIS = 1000;
  /** A server not heard from this long is taken for dead: its downloads in flight are listed as interrupted. */
  static final long SILENT_MILLIS = 8000;
  /** Heartbeats of servers gone this long are deleted (each start has a new name). */
  private static final long FORGET_MILLIS = 7L * 24 * 3600 * 1000;
  /** The database's clock in ms: one clock for all servers. */
  private static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

  private final String server;
  private long beats; // writer thread
  private long lastBeat; // writer thread: System.nanoTime of the last heartbeat written
  private long listening; // reader thread: since when its connection is up
  private long lastCheck; // reader thread
  private final Set<String> silent = new HashSet<>(); // reader thread: servers reported silent

  Heartbeats(String server) {
    this.server = server;
  }

  /** Writes this server's heartbeat through {@code writer} (auto-commit) when one is due. */
  void beat(Connection writer) throws SQLException {
    long now = System.nanoTime();
    if (lastBeat != 0 && now - lastBeat < TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS)) return;
    writer.setAutoCommit(true);
    try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO server_heartbeat (server, seen_ms) VALUES (?, " + NOW_MS
        + ") ON CONFLICT (server) DO UPDATE SET seen_ms = EXCLUDED.seen_ms")) {
      upsert.setString(1, server);
      upsert.executeUpdate();
    }
    if (++beats % 3600 == 1) {
      try (Statement s = writer.createStatement()) {
        s.execute("DELETE FROM server_heartbeat WHERE seen_ms < " + NOW_MS + " - " + FORGET_MILLIS);
      }
    }
    lastBeat = now;
  }

  /** The reader's connection is (again) up: the others are judged only once it has been for {@value #SILENT_MILLIS} ms. */
  void connected() {
    listening = System.nanoTime();
  }

  /**
   * Tells {@code listener} which other servers stopped beating, and which came back, at most once a
   * {@value #BEAT_MILLIS} ms. Judged only after this server's reader has been connected that long
   * itself: right after a database outage every heartbeat is old, and none of them means a dead server.
   */
  void check(Connection reader, DownloadShare.Listener listener) throws SQLException {
    long now = System.nanoTime();
    if (now - listening < TimeUnit.MILLISECONDS.toNanos(SILENT_MILLIS) || now - lastCheck < TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS)) {
      return;
    }
    lastCheck = now;
    try (PreparedStatement select = reader.prepareStatement("SELECT server, " + NOW_MS + " - seen_ms FROM server_heartbeat WHERE server <> ?")) {
      select.setString(1, server);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          String other = rs.getString(1);
          long age = rs.getLong(2);
          try {
            if (age > SILENT_MILLIS) {
              if (silent.add(other)) listener.silent(other, Instant.now().minusMillis(age));
            } else if (silent.remove(other)) {
              listener.heard(other);
            }
          } catch (RuntimeException e) {
            log.warn("taking in that server {} went silent failed: {}", other, e.toString());
          }
        }
      }
    }
  }
}
