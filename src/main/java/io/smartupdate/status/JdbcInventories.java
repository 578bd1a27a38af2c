package io.smartupdate.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.core.Problem;
import io.smartupdate.http.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Inventories} in the {@code node_inventory} table, one row per node. The inventory and the
 * findings are JSON text: they are read and written whole, never queried by field, and the same
 * column type serves SQLite and PostgreSQL.
 */
final class JdbcInventories implements Inventories {
  private static final Logger log = LoggerFactory.getLogger(JdbcInventories.class);
  private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {};
  private static final String COLUMNS = "node, read_at, stored_at, baseline, inventory, findings";

  private final ReaderPool connections;

  JdbcInventories(ReaderPool connections) {
    this.connections = connections;
  }

  @Override
  public void put(Stored stored) {
    NodeInventory inventory = stored.inventory();
    run(connection -> {
      // A single statement in auto-commit: atomic on both databases, and no status-event transaction is held.
      try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO node_inventory (" + COLUMNS + ") VALUES (?,?,?,?,?,?) "
          + "ON CONFLICT (node) DO UPDATE SET read_at = excluded.read_at, stored_at = excluded.stored_at, baseline = excluded.baseline, "
          + "inventory = excluded.inventory, findings = excluded.findings")) {
        upsert.setString(1, inventory.node());
        upsert.setString(2, inventory.readAt().toString());
        upsert.setString(3, stored.storedAt().toString());
        upsert.setString(4, stored.baseline());
        upsert.setString(5, Json.MAPPER.writeValueAsString(inventory));
        upsert.setString(6, Json.MAPPER.writeValueAsString(stored.findings()));
        upsert.executeUpdate();
        return null;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot encode the inventory of " + inventory.node(), e);
      }
    });
  }

  @Override
  public Optional<Stored> get(String node) {
    return run(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM node_inventory WHERE node = ?")) {
        select.setString(1, node);
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          return Optional.of(new Stored(inventory(rs), rs.getString(4), Json.MAPPER.readValue(rs.getString(6), FINDINGS),
              Instant.parse(rs.getString(3))));
        } catch (JsonProcessingException e) {
          throw new SQLException("the stored inventory of " + node + " cannot be read: " + e.getOriginalMessage(), e);
        }
      }
    });
  }

  @Override
  public List<NodeInventory> all() {
    return run(connection -> {
      List<NodeInventory> all = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM node_inventory ORDER BY node");
           ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          try {
            all.add(inventory(rs));
          } catch (JsonProcessingException e) {
            // One unreadable row must not hide the fleet: it is left out and said once per read.
            log.warn("the stored inventory of {} cannot be read, left out: {}", rs.getString(1), e.getOriginalMessage());
          }
        }
      }
      return all;
    });
  }

  private static NodeInventory inventory(ResultSet rs) throws SQLException, JsonProcessingException {
    return Json.MAPPER.readValue(rs.getString(5), NodeInventory.class);
  }

  private <T> T run(ReaderPool.Work<T> work) {
    try {
      return connections.with(work);
    } catch (SQLException e) {
      log.warn("inventory store: {}", e.getMessage());
      throw new Problem.Unavailable("store_unavailable", "the inventory store cannot be used now: " + e.getMessage(), Duration.ofSeconds(1));
    }
  }
}
