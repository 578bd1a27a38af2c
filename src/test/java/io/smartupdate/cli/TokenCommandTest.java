package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smartupdate token show|rotate} over a data directory (one server, SQLite). */
class TokenCommandTest {
  @TempDir Path data;

  @Test
  void showPrintsTheTokenAloneAndRotatePrintsTheNewOne() throws Exception {
    CliRun shown = CliRun.of("token", "show", "--data", data.toString());
    assertEquals(0, shown.code(), shown.err());
    String token = shown.out().trim();
    assertEquals(token, Files.readString(data.resolve("token")).trim(), "the token in data/token, alone on stdout");

    CliRun rotated = CliRun.of("token", "rotate", "--data", data.toString(), "--grace", "60");
    assertEquals(0, rotated.code(), rotated.err());
    String fresh = rotated.out().trim();
    assertNotEquals(token, fresh);
    assertEquals(fresh, Files.readString(data.resolve("token")).trim());
    assertTrue(rotated.err().contains("accepted until"), rotated.err());

    CliRun again = CliRun.of("token", "show", "--data", data.toString());
    assertEquals(fresh, again.out().trim());
    assertTrue(again.err().contains("previous token is still accepted until"), again.err());
  }

  @Test
  void anUnknownActionOrANegativeGraceIsAUsageError() {
    CliRun unknown = CliRun.of("token", "revoke", "--data", data.toString());
    assertEquals(ExitCodes.CONFIG, unknown.code());
    assertTrue(unknown.err().contains("'revoke' is not an action of token; use 'show' or 'rotate'"), unknown.err());
    CliRun negative = CliRun.of("token", "rotate", "--data", data.toString(), "--grace", "-5");
    assertEquals(ExitCodes.CONFIG, negative.code());
    assertTrue(negative.err().contains("--grace must be 0 or more"), negative.err());
  }

  @Test
  void anUnsupportedStatusDatabaseIsNamed() {
    CliRun run = CliRun.of("token", "show", "--data", data.toString(), "--status-db", "mysql://db/su");
    assertEquals(ExitCodes.CONFIG, run.code());
    assertTrue(run.err().contains("jdbc:postgresql://"), run.err());
  }
}
