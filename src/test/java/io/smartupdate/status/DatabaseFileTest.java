package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file a SQLite URL names, and the highest-id side file kept beside it. */
class DatabaseFileTest {
  @TempDir Path dir;

  @Test
  void inMemoryAndUnnamedDatabasesHaveNoFileToWatch() throws Exception {
    assertNull(DatabaseFile.of("jdbc:sqlite::memory:"));
    assertNull(DatabaseFile.of("jdbc:sqlite:"));
    assertNull(DatabaseFile.of("jdbc:sqlite:?cache=shared"), "an empty name with options is a temporary database");
    assertNull(DatabaseFile.of("jdbc:sqlite:file:status.db?mode=ro"));
  }

  @Test
  void theSideFileSitsBesideTheDatabaseNamedWithoutItsExtension() throws Exception {
    Files.writeString(dir.resolve("status.ids"), "41\n");
    DatabaseFile file = DatabaseFile.of("jdbc:sqlite:" + dir.resolve("status.db") + "?busy_timeout=5");
    assertEquals(dir.resolve("status.db"), file.path(), "options after '?' are not part of the name");
    assertEquals(41, file.recorded());
    Files.writeString(dir.resolve(".hidden.ids"), "7");
    assertEquals(7, DatabaseFile.of("jdbc:sqlite:" + dir.resolve(".hidden")).recorded(), "a leading dot is not an extension");
    assertEquals(0, DatabaseFile.of("jdbc:sqlite:" + dir.resolve("fresh.db")).recorded(), "no side file yet: nothing handed out");
  }

  @Test
  void aSideFileThatIsNotANumberIsAnErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve("status.ids"), "lots");
    IOException e = assertThrows(IOException.class, () -> DatabaseFile.of("jdbc:sqlite:" + dir.resolve("status.db")));
    assertTrue(e.getMessage().contains(dir.resolve("status.ids").toString()) && e.getMessage().contains("'lots'"), e.getMessage());
  }
}
