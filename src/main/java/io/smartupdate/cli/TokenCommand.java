package io.smartupdate.cli;

import io.smartupdate.auth.TokenSet;
import io.smartupdate.auth.Tokens;
import io.smartupdate.status.SharedState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code smartupdate token show|rotate}: the write token, from {@code data/token} or, with
 * {@code --status-db jdbc:postgresql:...}, the one every server on that database shares. The token
 * alone goes to standard output, so {@code TOKEN=$(smartupdate token show)} works; notes go to
 * standard error. Exit 0, 1 when the store cannot be read or written, 2 for a usage error or a
 * status database URL that cannot be used.
 *
 * <pre>
 * smartupdate token show
 * smartupdate token rotate --status-db 'jdbc:postgresql://db/su?user=su&amp;password=...' --grace 900
 * </pre>
 */
@Command(name = "token", sortOptions = false, usageHelpAutoWidth = true,
    description = "Show or rotate the write token (data/token, or the one shared by the servers on a PostgreSQL status store).")
final class TokenCommand implements CliCommand {
  static final long DEFAULT_GRACE_SECONDS = 900;

  @Parameters(index = "0", paramLabel = "show|rotate", description = "show: print the token; rotate: make a new one, the old one "
      + "staying valid for the grace period")
  String action;

  @Option(names = {"/data", "--data"}, paramLabel = "DIR", description = "data directory of the server (default: data)")
  Path data;

  @Option(names = {"/status_db", "--status-db"}, paramLabel = "URL", description = "the servers' shared status store (jdbc:postgresql://...); "
      + "default: the token in DATA")
  String statusDb;

  @Option(names = {"/grace", "--grace"}, paramLabel = "SECONDS", description = "rotate: how long the old token stays valid (default: "
      + DEFAULT_GRACE_SECONDS + ")")
  long graceSeconds = DEFAULT_GRACE_SECONDS;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    if (!action.equals("show") && !action.equals("rotate")) {
      throw new ParameterException(self, "'" + action + "' is not an action of token; use 'show' or 'rotate'");
    }
    if (graceSeconds < 0) throw new ParameterException(self, "--grace must be 0 or more seconds, not " + graceSeconds);
    Path dataDir = InstallLayout.current().data(data);
    try (Tokens tokens = SharedState.tokens(statusDb, dataDir, Clock.systemUTC())) {
      if (action.equals("show")) {
        TokenSet set = tokens.load();
        out.println(set.current());
        if (set.previous() != null) err.println("the previous token is still accepted until " + set.previousUntil());
      } else {
        TokenSet set = tokens.rotate(Duration.ofSeconds(graceSeconds));
        out.println(set.current());
        err.println("new write token in " + tokens.where() + "; the old one is accepted until " + set.previousUntil()
            + "; running servers take the new one within a second: hand it to the nodes before the grace ends");
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(self, e.getMessage());
    } catch (IllegalStateException e) {
      // The store did not answer or refused: the command's outcome, not a usage error.
      err.println("smartupdate token: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }
}
