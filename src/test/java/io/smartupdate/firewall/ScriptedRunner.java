package io.smartupdate.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** A {@link CommandRunner} for unit tests: answers by the start of the command line and records every command. */
final class ScriptedRunner implements CommandRunner {
  private final Set<String> installed;
  private final Map<String, Function<Command, Result>> answers = new LinkedHashMap<>();
  final List<String> ran = new ArrayList<>();
  private int nextHandle = 100;

  ScriptedRunner(String... installed) {
    this.installed = Set.of(installed);
    // nft echoes the rule it inserted with its handle, as nft 1.0 does with --echo --handle
    on("nft --echo --handle", c -> ok(c, c.argv().get(3) + " # handle " + nextHandle++ + "\n"));
    on("nft 'delete rule", c -> ok(c, ""));
    on("cat /proc/net/", c -> ok(c, ""));
  }

  /** Answers commands whose shell form starts with {@code prefix}; later registrations win. */
  ScriptedRunner on(String prefix, Function<Command, Result> answer) {
    answers.remove(prefix);
    answers.put(prefix, answer);
    return this;
  }

  ScriptedRunner on(String prefix, String stdout) {
    return on(prefix, c -> ok(c, stdout));
  }

  static Result ok(Command command, String stdout) {
    return new Result(command, 0, stdout, "");
  }

  static Result fail(Command command, String stderr) {
    return new Result(command, 1, "", stderr);
  }

  @Override
  public Result run(Command command) {
    String line = command.toString();
    ran.add(line);
    Function<Command, Result> answer = null;
    int best = -1;
    for (var entry : answers.entrySet()) {
      if (line.startsWith(entry.getKey()) && entry.getKey().length() >= best) {
        best = entry.getKey().length();
        answer = entry.getValue();
      }
    }
    if (!installed.contains(command.program())) return new Result(command, -1, "", "cannot run " + command.program());
    return answer != null ? answer.apply(command) : fail(command, "unexpected command in test: " + line);
  }

  @Override
  public Optional<String> find(String program) {
    return installed.contains(program) ? Optional.of(program) : Optional.empty();
  }

  /** Commands that change the firewall (everything but listings and version queries). */
  List<String> changes() {
    return ran.stream().filter(c -> c.contains(" -I ") || c.contains(" -D ") || c.contains("insert rule") || c.contains("delete rule")
        || c.contains("--add-") || c.contains("--remove-")).toList();
  }
}
