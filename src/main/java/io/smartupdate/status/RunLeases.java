package io.smartupdate.status;

import io.smartupdate.core.Problem;
import io.smartupdate.status.DeployRuns.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The owner lease of a deploy run, read and written inside the caller's transaction: a
 * compare-and-set on the run's row, which PostgreSQL locks ({@code FOR UPDATE SKIP LOCKED}) and
 * SQLite serialises (BEGIN IMMEDIATE), so that of two processes taking one run over exactly one wins.
 */
final class RunLeases {
  /** The row as read under its lock. */
  private record Held(String owner, Instant until) {}

  private RunLeases() {}

  static Lease takeOver(Connection connection, Dialect dialect, String id, String owner, String replaces, Instant now, Duration lease)
      throws SQLException {
    Held held = lock(connection, dialect, id, true);
    if (held == null) {
      throw new Problem.Conflict("run_taken", "run " + id + " is being taken over by another process right now; GET /api/deploys/" + id
          + " shows its owner");
    }
    boolean free = held.owner() == null || held.until() == null || held.until().isBefore(now) || held.owner().equals(owner)
        || held.owner().equals(replaces);
    if (!free) {
      throw new Problem.Conflict("run_owned", "run " + id + " is driven by " + held.owner() + " until " + held.until()
          + " (its lease; it renews it while it runs): resume it after then, when its owner is gone");
    }
    return write(connection, id, new Lease(owner, now.plus(lease)));
  }

  static Lease renew(Connection connection, Dialect dialect, String id, String owner, Instant now, Duration lease) throws SQLException {
    // Waits for a takeover in flight rather than skipping it: only one that succeeded means this owner lost the run.
    Held held = lock(connection, dialect, id, false);
    if (held.owner() != null && !owner.equals(held.owner())) throw lost(id, held.owner());
    return write(connection, id, new Lease(owner, now.plus(lease)));
  }

  /** Refuses a write from {@code owner} to a run another process took over. */
  static void requireOwner(Connection connection, Dialect dialect, String id, String owner) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT owner FROM deploy_run WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) return; // the caller names the missing run
        String holder = rs.getString(1);
        if (holder != null && !holder.equals(owner)) throw lost(id, holder);
      }
    }
  }

  private static Problem.Conflict lost(String id, String holder) {
    return new Problem.Conflict("run_lost", "run " + id + " was taken over by " + holder + "; this process lost the run and starts nothing more");
  }

  /** The run's row locked for this transaction; with {@code skipLocked}, null when another transaction holds its lock. */
  private static Held lock(Connection connection, Dialect dialect, String id, boolean skipLocked) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT owner, lease_until FROM deploy_run WHERE id = ?"
        + dialect.lockRows(skipLocked))) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) return new Held(rs.getString(1), JdbcDeployRuns.instant(rs.getString(2)));
      }
    }
    JdbcDeployRuns.requireRun(connection, id); // not found, or skipped: locked by a concurrent takeover
    if (!skipLocked) throw new SQLException("run " + id + " was not read under its lock");
    return null;
  }

  private static Lease write(Connection connection, String id, Lease lease) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE deploy_run SET owner = ?, lease_until = ? WHERE id = ?")) {
      update.setString(1, lease.owner());
      update.setString(2, JdbcDeployRuns.text(lease.until()));
      update.setString(3, id);
      if (update.executeUpdate() != 1) throw new SQLException("run " + id + " vanished while its lease was written");
    }
    return Objects.requireNonNull(lease);
  }
}
