package io.smartupdate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading a child process's output with a deadline: a server that never prints its ready line fails the test, not hangs it. */
public final class ProcessLines {
  private ProcessLines() {}

  /**
   * The next line of {@code process}'s stdout (null at end of stream), read byte by byte so nothing
   * past the line is buffered away from later readers. After {@code timeout} the process is killed
   * (which ends the blocked read) and the test fails.
   */
  public static String nextLine(Process process, Duration timeout) throws InterruptedException {
    InputStream in = process.getInputStream();
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
          if (c < 0) return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.UTF_8);
          bytes.write(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("no line from pid " + process.pid() + " within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new AssertionError("reading pid " + process.pid() + "'s output failed", e.getCause());
    }
  }
}
