package io.smartupdate.firewall;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs programs with {@link ProcessBuilder}, never through a shell, with a timeout and both
 * outputs captured. An optional prefix (tests: {@code ip netns exec NS}) is put in front of every
 * command but not shown in {@link Command#toString}.
 */
final class ProcessRunner implements CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
  private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  private final List<String> prefix;
  private final Duration timeout;

  ProcessRunner(List<String> prefix, Duration timeout) {
    this.prefix = List.copyOf(prefix);
    this.timeout = timeout;
  }

  @Override
  public Result run(Command command) {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(command.argv());
    ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("LC_ALL", "C"); // English error messages: deniedPrivilege() reads them
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Result(command, -1, "", "cannot run " + command.program() + ": " + e.getMessage());
    }
    Drain out = new Drain(process.getInputStream());
    Drain err = new Drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(2, TimeUnit.SECONDS);
        return new Result(command, -1, out.text(), command.program() + " did not finish within " + timeout.toSeconds() + " s");
      }
      Result result = new Result(command, process.exitValue(), out.text(), err.text());
      log.debug("{} -> {} {}", command, result.exit(), result.ok() ? "" : result.firstError());
      return result;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(command, -1, out.text(), "interrupted while running " + command.program());
    }
  }

  @Override
  public Optional<String> find(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return Optional.of(program);
    }
    return SBIN.stream().map(dir -> Path.of(dir, program)).filter(Files::isExecutable).map(Path::toString).findFirst();
  }

  /** Reads one output of the process on its own thread, so a large ruleset cannot fill the pipe and hang the program. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream stream) {
      thread = new Thread(() -> {
        try (stream) {
          stream.transferTo(buffer);
        } catch (IOException e) {
          // the process was killed (timeout): keep what was read
        }
      }, "firewall-output");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }
}
