package io.smartupdate.firewall;

import java.util.Locale;
import java.util.Optional;

/** Runs firewall programs; the real one is {@link ProcessRunner}, tests script their own. */
interface CommandRunner {
  /** Runs the command to completion (bounded in time); never throws for a failing or missing program. */
  Result run(Command command);

  /** How to invoke {@code program} if it is installed: its name when on PATH, else its path in an sbin directory. */
  Optional<String> find(String program);

  /**
   * What a command did.
   *
   * @param exit exit status, or -1 when it could not start or timed out
   */
  record Result(Command command, int exit, String stdout, String stderr) {
    boolean ok() {
      return exit == 0;
    }

    /** The first non-blank line of stderr (or stdout), for a one-line error message. */
    String firstError() {
      for (String text : new String[] {stderr, stdout}) {
        Optional<String> line = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
        if (line.isPresent()) return line.get();
      }
      return "exit status " + exit;
    }

    /** True when the program said it lacks the privilege (nft, iptables, firewall-cmd wordings; LC_ALL=C). */
    boolean deniedPrivilege() {
      String text = (stderr + "\n" + stdout).toLowerCase(Locale.ROOT);
      return text.contains("operation not permitted") || text.contains("permission denied") || text.contains("must be root")
          || text.contains("not_authorized") || text.contains("authorization failed") || text.contains("access denied");
    }
  }
}
