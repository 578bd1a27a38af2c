package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerInfoFeatureTest {
  @Test
  void storeNamesItsKindAndNeverACredential() {
    assertEquals(Map.of("kind", "SQLite", "location", Path.of("/srv/su/data").toString()),
        ServerInfoFeature.store(null, Path.of("/srv/su/data")));
    assertEquals(Map.of("kind", "PostgreSQL", "location", "jdbc:postgresql://db:5432/su"),
        ServerInfoFeature.store("jdbc:postgresql://db:5432/su?user=su&password=secret", Path.of("d")));
    assertEquals(Map.of("kind", "PostgreSQL", "location", "jdbc:postgresql://db/su"),
        ServerInfoFeature.store("jdbc:postgresql://su:secret@db/su", Path.of("d")));
    assertEquals("SQLite", ServerInfoFeature.store("jdbc:sqlite:/var/lib/su/status.db", Path.of("d")).get("kind"));
  }
}
