package io.smartupdate.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bin/smartupdate as an operator runs it: a child process over a temporary directory, started and
 * awaited up to its ready line. The one place that knows the ready line's shape.
 */
public final class LaunchedServer implements AutoCloseable {
  /** The launcher of the working tree (built by the package phase). */
  public static final Path LAUNCHER = Path.of("bin/smartupdate").toAbsolutePath();
  /** How long a start may take to its ready line. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Ready ready;
  private final Path dir;

  private LaunchedServer(Process process, Ready ready, Path dir) {
    this.process = process;
    this.ready = ready;
    this.dir = dir;
  }

  /** The ports and certificate fingerprint the server announced on its first stdout line. */
  public record Ready(int http, int https, String fingerprint) {
    private static final Pattern LINE = Pattern.compile("smartupdate ready http=(\\d+) https=(\\d+) fingerprint=(\\S+)");

    /** Parses a ready line, failing the test with {@code context} when it is not one. */
    public static Ready parse(String line, Supplier<String> context) {
      assertTrue(line != null, () -> "the server exited before its ready line; " + context.get());
      Matcher m = LINE.matcher(line);
      assertTrue(m.matches(), () -> "not a ready line: " + line + "; " + context.get());
      return new Ready(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }
  }

  /**
   * The launcher with the layout every process IT uses: repo, certs and data under {@code dir},
   * silent (/s), {@code args}, and ports 0 on 127.0.0.1 unless {@code args} name their own; stderr
   * appended to dir/stderr.log.
   */
  public static ProcessBuilder command(Path dir, String... args) throws IOException {
    List<String> given = List.of(args);
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "/repo", Files.createDirectories(dir.resolve("repo")).toString(),
        "/data", dir.resolve("data").toString(), "/certs", dir.resolve("certs").toString(), "/s"));
    if (!given.contains("/port")) command.addAll(List.of("/port", "0"));
    if (!given.contains("/ssl_port")) command.addAll(List.of("/ssl_port", "0"));
    if (!given.contains("/bind")) command.addAll(List.of("/bind", "127.0.0.1"));
    command.addAll(given);
    return withoutClassDataArchive(new ProcessBuilder(command))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.log").toFile()));
  }

  /**
   * SMARTUPDATE_CDS=off for {@code launch}: on JDK 17 the first run after a build writes the
   * class-data archive as it exits, which takes seconds, tens of them on a loaded machine. A test
   * that times a stop must time the server's, not the dump's.
   */
  public static ProcessBuilder withoutClassDataArchive(ProcessBuilder launch) {
    launch.environment().put("SMARTUPDATE_CDS", "off");
    return launch;
  }

  /** Starts {@link #command} and waits for the ready line: 120 s at most, room for an RSA key generated on a loaded machine. */
  public static LaunchedServer start(Path dir, String... args) throws IOException, InterruptedException {
    return start(command(dir, args), dir, READY_TIMEOUT);
  }

  /** Starts {@code launch} (stderr in dir/stderr.log) and waits {@code timeout} at most for the ready line. */
  public static LaunchedServer start(ProcessBuilder launch, Path dir, Duration timeout) throws IOException, InterruptedException {
    Process process = launch.start();
    try {
      Ready ready = awaitReady(process, timeout, () -> "stderr: " + readQuietly(dir.resolve("stderr.log")));
      drain(process.getInputStream());
      return new LaunchedServer(process, ready, dir);
    } catch (AssertionError | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The next stdout line of {@code process} as a ready line, within {@code timeout}. */
  public static Ready awaitReady(Process process, Duration timeout, Supplier<String> context) throws InterruptedException {
    return Ready.parse(ProcessLines.nextLine(process, timeout), context);
  }

  public Process process() {
    return process;
  }

  public Ready ready() {
    return ready;
  }

  public int httpPort() {
    return ready.http();
  }

  public int httpsPort() {
    return ready.https();
  }

  /** The write token the server generated in dir/data. */
  public String token() throws IOException {
    return Files.readString(dir.resolve("data/token")).trim();
  }

  /** Everything the server wrote to stderr so far. */
  public String stderr() {
    return readQuietly(dir.resolve("stderr.log"));
  }

  /** SIGTERM, then waits up to {@code seconds} for the exit; its exit code, or -1 if it is still running. */
  public int stop(int seconds) throws InterruptedException {
    process.destroy();
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL, and waits for the process to be gone. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no " + file.getFileName() + ")";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Nothing more is expected on stdout, but a full pipe must never block the server. */
  private static void drain(InputStream out) {
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the process is gone
      }
    }, "stdout-drain");
    drain.setDaemon(true);
    drain.start();
  }
}
