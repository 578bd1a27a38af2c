package io.smartupdate.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DeployRuns} in the {@code deploy_run} and {@code deploy_step} tables; the options are JSON text. */
final class JdbcDeployRuns implements DeployRuns {
  private static final Logger log = LoggerFactory.getLogger(JdbcDeployRuns.class);
  private static final TypeReference<Map<String, Object>> OPTIONS = new TypeReference<>() {};
  private static final String RUN = "id, started_at, finished_at, state, baseline, image, sha256, options, owner, lease_until, baseline_digest";
  private static final String STEP = "node, step, bmc, component_id, component, file, before_version, after_version, expected, state, result, "
      + "reason, started_at, finished_at, duration_ms, task_uri, sha256";

  private final ReaderPool connections;
  private final Dialect dialect;

  JdbcDeployRuns(ReaderPool connections, Dialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
  }

  @Override
  public void create(Run run) {
    transaction(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO deploy_run (" + RUN + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        insert.setString(1, run.id());
        insert.setString(2, run.startedAt().toString());
        insert.setString(3, text(run.finishedAt()));
        insert.setString(4, run.state().json());
        insert.setString(5, run.baseline());
        insert.setString(6, run.image());
        insert.setString(7, run.sha256());
        insert.setString(8, Json.MAPPER.writeValueAsString(run.options()));
        insert.setString(9, run.owner());
        insert.setString(10, text(run.leaseUntil()));
        insert.setString(11, run.baselineDigest());
        insert.executeUpdate();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot encode the options of run " + run.id(), e);
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO deploy_step (run_id, " + STEP
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        for (Step step : run.steps()) {
          insert.setString(1, run.id());
          bind(insert, step);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<Run> get(String id) {
    return run(connection -> {
      Run found;
      try (PreparedStatement select = connection.prepareStatement("SELECT " + RUN + " FROM deploy_run WHERE id = ?")) {
        select.setString(1, id);
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          found = new Run(rs.getString(1), Instant.parse(rs.getString(2)), instant(rs.getString(3)), RunState.parse(rs.getString(4)),
              rs.getString(5), rs.getString(6), rs.getString(7), Json.MAPPER.readValue(rs.getString(8), OPTIONS), List.of(), rs.getString(9),
              instant(rs.getString(10)), rs.getString(11));
        } catch (JsonProcessingException e) {
          throw new SQLException("the stored options of run " + id + " cannot be read: " + e.getOriginalMessage(), e);
        }
      }
      return Optional.of(new Run(found.id(), found.startedAt(), found.finishedAt(), found.state(), found.baseline(), found.image(),
          found.sha256(), found.options(), steps(connection, id, null, -1), found.owner(), found.leaseUntil(), found.baselineDigest()));
    });
  }

  @Override
  public List<Summary> list(int limit) {
    return run(connection -> {
      List<Summary> runs = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("SELECT " + RUN + " FROM deploy_run ORDER BY started_at DESC, id DESC LIMIT ?")) {
        select.setInt(1, limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            runs.add(new Summary(rs.getString(1), Instant.parse(rs.getString(2)), instant(rs.getString(3)), RunState.parse(rs.getString(4)),
                rs.getString(5), rs.getString(6), 0, Map.of(), rs.getString(9), instant(rs.getString(10))));
          }
        }
      }
      List<Summary> counted = new ArrayList<>();
      try (PreparedStatement count = connection.prepareStatement(
          "SELECT state, COUNT(*) FROM deploy_step WHERE run_id = ? GROUP BY state ORDER BY state");
           PreparedStatement nodes = connection.prepareStatement("SELECT COUNT(DISTINCT node) FROM deploy_step WHERE run_id = ?")) {
        for (Summary run : runs) {
          Map<String, Integer> counts = new LinkedHashMap<>();
          count.setString(1, run.id());
          try (ResultSet rs = count.executeQuery()) {
            while (rs.next()) counts.put(rs.getString(1), rs.getInt(2));
          }
          nodes.setString(1, run.id());
          int nodeCount;
          try (ResultSet rs = nodes.executeQuery()) {
            rs.next();
            nodeCount = rs.getInt(1);
          }
          counted.add(new Summary(run.id(), run.startedAt(), run.finishedAt(), run.state(), run.baseline(), run.image(), nodeCount, counts,
              run.owner(), run.leaseUntil()));
        }
      }
      return counted;
    });
  }

  @Override
  public Step change(String id, String node, int index, Change change, String owner, Instant at) {
    return transaction(connection -> {
      if (owner != null) RunLeases.requireOwner(connection, dialect, id, owner);
      List<Step> found = steps(connection, id, node, index);
      if (found.isEmpty()) {
        requireRun(connection, id);
        throw new Problem.NotFound("run " + id + " has no step " + index + " for node " + node);
      }
      Step was = found.get(0);
      // Skipped means never started: a resume may still run it. Done and failed are final.
      if ((was.state() == StepState.DONE || was.state() == StepState.FAILED) && was.state() != change.state()) {
        throw Problem.BadInput.field("state", "step " + index + " of node " + node + " in run " + id + " is already " + was.state().json()
            + "; a finished step does not move");
      }
      if (change.state() == StepState.PENDING && was.state() != StepState.PENDING) {
        throw Problem.BadInput.field("state", "step " + index + " of node " + node + " is " + was.state().json() + "; it cannot go back to pending");
      }
      Instant started = was.startedAt() == null && change.state() != StepState.PENDING && change.state() != StepState.SKIPPED ? at : was.startedAt();
      Instant finished = change.state().finished() && was.finishedAt() == null ? at : was.finishedAt();
      Long duration = finished != null && started != null ? Long.valueOf(Duration.between(started, finished).toMillis()) : was.durationMs();
      Step now = new Step(was.node(), was.step(), was.bmc(), was.componentId(), was.component(), was.file(), or(change.before(), was.before()),
          or(change.after(), was.after()), was.expected(), change.state(), or(change.result(), was.result()), or(change.reason(), was.reason()),
          started, finished, duration, or(change.taskUri(), was.taskUri()), was.sha256());
      try (PreparedStatement update = connection.prepareStatement("UPDATE deploy_step SET before_version = ?, after_version = ?, state = ?, "
          + "result = ?, reason = ?, started_at = ?, finished_at = ?, duration_ms = ?, task_uri = ? WHERE run_id = ? AND node = ? AND step = ?")) {
        update.setString(1, now.before());
        update.setString(2, now.after());
        update.setString(3, now.state().json());
        update.setString(4, now.result());
        update.setString(5, now.reason());
        update.setString(6, text(now.startedAt()));
        update.setString(7, text(now.finishedAt()));
        setLong(update, 8, now.durationMs());
        update.setString(9, now.taskUri());
        update.setString(10, id);
        update.setString(11, node);
        update.setInt(12, index);
        update.executeUpdate();
      }
      return now;
    });
  }

  @Override
  public void finish(String id, RunState state, String owner, Instant at) {
    transaction(connection -> {
      requireRun(connection, id);
      if (owner != null) RunLeases.requireOwner(connection, dialect, id, owner);
      try (PreparedStatement update = connection.prepareStatement("UPDATE deploy_run SET state = ?, finished_at = ? WHERE id = ?")) {
        update.setString(1, state.json());
        update.setString(2, state == RunState.RUNNING ? null : at.toString());
        update.setString(3, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Lease takeOver(String id, String owner, String replaces, Instant now, Duration lease) {
    return transaction(connection -> RunLeases.takeOver(connection, dialect, id, owner, replaces, now, lease));
  }

  @Override
  public Lease renew(String id, String owner, Instant now, Duration lease) {
    return transaction(connection -> RunLeases.renew(connection, dialect, id, owner, now, lease));
  }

  static void requireRun(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM deploy_run WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) throw new Problem.NotFound("no deploy run " + id + "; GET /api/deploys lists them");
      }
    }
  }

  /** The run's steps in plan order, or the one step {@code node}/{@code index} when node is given. */
  private static List<Step> steps(Connection connection, String id, String node, int index) throws SQLException {
    String where = node == null ? "" : " AND node = ? AND step = ?";
    try (PreparedStatement select = connection.prepareStatement("SELECT " + STEP + " FROM deploy_step WHERE run_id = ?" + where
        + " ORDER BY node, step")) {
      select.setString(1, id);
      if (node != null) {
        select.setString(2, node);
        select.setInt(3, index);
      }
      List<Step> steps = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long millis = rs.getLong(15);
          Long duration = rs.wasNull() ? null : millis;
          steps.add(new Step(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
              rs.getString(8), rs.getString(9), StepState.parse(rs.getString(10)), rs.getString(11), rs.getString(12), instant(rs.getString(13)),
              instant(rs.getString(14)), duration, rs.getString(16), rs.getString(17)));
        }
      }
      return steps;
    }
  }

  private static void bind(PreparedStatement insert, Step step) throws SQLException {
    insert.setString(2, step.node());
    insert.setInt(3, step.step());
    insert.setString(4, step.bmc());
    insert.setString(5, step.componentId());
    insert.setString(6, step.component());
    insert.setString(7, step.file());
    insert.setString(8, step.before());
    insert.setString(9, step.after());
    insert.setString(10, step.expected());
    insert.setString(11, step.state().json());
    insert.setString(12, step.result());
    insert.setString(13, step.reason());
    insert.setString(14, text(step.startedAt()));
    insert.setString(15, text(step.finishedAt()));
    setLong(insert, 16, step.durationMs());
    insert.setString(17, step.taskUri());
    insert.setString(18, step.sha256());
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) statement.setNull(index, Types.BIGINT);
    else statement.setLong(index, value);
  }

  private static <T> T or(T given, T kept) {
    return given != null ? given : kept;
  }

  static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  /** In one transaction on a reader connection (auto-commit otherwise): a run's plan appears whole, a step moves once. */
  private <T> T transaction(ReaderPool.Work<T> work) {
    return run(connection -> {
      dialect.begin(connection);
      try {
        T result = work.run(connection);
        dialect.commit(connection);
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          dialect.rollback(connection);
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        if (dialect == Dialect.POSTGRES) connection.setAutoCommit(true);
      }
    });
  }

  private <T> T run(ReaderPool.Work<T> work) {
    try {
      return connections.with(work);
    } catch (SQLException e) {
      log.warn("deploy runs store: {}", e.getMessage());
      throw new Problem.Unavailable("store_unavailable", "the deploy runs store cannot be used now: " + e.getMessage(), Duration.ofSeconds(1));
    }
  }
}
