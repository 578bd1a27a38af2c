package io.smartupdate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.auth.WriteAuth;
import io.smartupdate.http.JsonBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The limits table in docs/operations.md gives defaults an operator relies on: each value read
 * there is the one the code uses (Limits.DEFAULT and the constants behind the other rows), so the
 * table cannot drift from the server unnoticed.
 */
class LimitsTableTest {
  private static final Path OPERATIONS = Path.of("docs/operations.md");

  @Test
  void everyDefaultInTheLimitsTableIsTheOneTheServerUses() throws IOException {
    Map<String, String> values = limitsTable();
    Limits defaults = Limits.DEFAULT;
    assertEquals(defaults.maxClientConnections() + " (`/max_client_connections N`)", values.get("connections of one client address"));
    assertEquals(defaults.maxConnections() + " (`/max_connections N`), lowered to `(ulimit -n − " + ConnectionLimiter.RESERVED_DESCRIPTORS
        + ") / 2` with a warning at start", values.get("connections in all (hand-off ports included)"));
    assertTrue(values.get("time for a whole request body").startsWith(JsonBody.BODY_TIMEOUT_MILLIS / 1000 + " s "),
        values.get("time for a whole request body"));
    assertEquals(defaults.idle().toSeconds() + " s (" + defaults.requestHead().toSeconds() + " s for the first byte on an HTTPS port)",
        values.get("time to the first request byte, and idle keep-alive"));
    assertEquals(defaults.requestHead().toSeconds() + " s, however slowly its bytes trickle in",
        values.get("time for the request head (slowloris), once it begins"));
    assertTrue(values.get("a response that makes no progress (the client stopped reading)")
        .startsWith(defaults.writeStall().toSeconds() + " s without a byte moving"), values.toString());
    assertEquals(String.valueOf(defaults.maxClientStreams()), values.get("live event streams (`/api/events`) of one client address"));
    assertEquals(String.format(Locale.ROOT, "%,d within the %d s window", WriteAuth.MAX_NONCES, WriteAuth.WINDOW_SECONDS),
        values.get("signed-request nonces remembered"));
  }

  /** The first two columns of the table under "## Limits": limit -> value. */
  private static Map<String, String> limitsTable() throws IOException {
    List<String> lines = Files.readAllLines(OPERATIONS);
    int section = lines.indexOf("## Limits");
    assertTrue(section >= 0, "no '## Limits' section in " + OPERATIONS);
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines.subList(section + 1, lines.size())) {
      if (line.startsWith("## ")) break;
      if (!line.startsWith("| ") || line.startsWith("| limit ") || line.startsWith("|---")) continue;
      String[] cells = line.split(" \\| ");
      values.put(cells[0].substring(2).trim(), cells[1].trim());
    }
    assertTrue(values.size() > 10, "the limits table was not found: " + values);
    return values;
  }
}
