package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.baseline.Action;
import io.smartupdate.baseline.Finding;
import io.smartupdate.baseline.InventoryItem;
import io.smartupdate.baseline.NodeInventory;
import io.smartupdate.baseline.Pci;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each node's last inventory and analysis survive a reopen, on SQLite and on PostgreSQL alike (schema version 2). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InventoriesIT {
  @TempDir Path dir;

  private static final NodeInventory ILO = new NodeInventory("ilo5-10.0.0.5", "ProLiant DL380 Gen10", "868703-B21", null,
      List.of(new InventoryItem("/redfish/v1/UpdateService/FirmwareInventory/1", "1", "iLO 5", "3.00", null, true, List.of(),
          List.of("4764a662-b342-4fc7-9ce9-258c5d99e815"), "2f317b9d", null, null),
          new InventoryItem("/x/nic", "nic", "NIC", null, null, false, List.of("/redfish/v1/Chassis/1"), null, null, "101447",
              new Pci("14e4", "16d7", null, null))),
      Instant.parse("2026-12-06T12:00:00Z"));
  private static final Finding UPDATE = new Finding("ilo5-10.0.0.5", "ilo5", "iLO 5 firmware", "3.00", "3.10", Action.UPDATE,
      "installed 3.00 is older than 3.10");

  private static void roundTrip(String url, Path data) throws Exception {
    Instant stored = Instant.parse("2026-12-06T12:00:01Z");
    try (JdbcStatusStore store = JdbcStatusStore.open(url, data)) {
      store.inventories().put(new Inventories.Stored(ILO, "default", List.of(UPDATE), stored));
      // A second put replaces the first: one row per node, the last analysis.
      store.inventories().put(new Inventories.Stored(ILO, "gen10", List.of(UPDATE), stored.plusSeconds(1)));
    }
    try (JdbcStatusStore store = JdbcStatusStore.open(url, data)) {
      Inventories.Stored back = store.inventories().get("ilo5-10.0.0.5").orElseThrow();
      assertEquals(new Inventories.Stored(ILO, "gen10", List.of(UPDATE), stored.plusSeconds(1)), back);
      assertEquals(List.of(ILO), store.inventories().all());
      assertTrue(store.inventories().get("other").isEmpty());
    }
  }

  @Test
  void sqliteKeepsTheLastInventoryAndAnalysisOfEachNode() throws Exception {
    roundTrip(null, dir);
  }

  @Test
  void postgresKeepsTheSameAndMigratesToVersionTwo() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      roundTrip(url, dir);
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        rs.next();
        assertEquals(Dialect.POSTGRES.migrations().size(), rs.getInt(1));
      }
    }
  }
}
