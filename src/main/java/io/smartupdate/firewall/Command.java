package io.smartupdate.firewall;

import java.util.List;
import java.util.regex.Pattern;

/** One firewall program invocation, run without a shell; {@link #toString} is the same command quoted for a POSIX shell. */
record Command(List<String> argv) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
  }

  static Command of(String... argv) {
    return new Command(List.of(argv));
  }

  String program() {
    return argv.get(0);
  }

  @Override
  public String toString() {
    StringBuilder line = new StringBuilder();
    for (String arg : argv) {
      if (line.length() > 0) line.append(' ');
      line.append(quote(arg));
    }
    return line.toString();
  }

  static String quote(String arg) {
    if (PLAIN.matcher(arg).matches()) return arg;
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
