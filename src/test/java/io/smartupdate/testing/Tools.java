package io.smartupdate.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * External programs and privileges the tests drive for real: a missing one fails the run under
 * CI=true (.ci/run must provide it) and skips visibly elsewhere, so CI never passes by skipping.
 */
public final class Tools {
  private Tools() {}

  public static Path require(String program) {
    // sbin too: nft, iptables and ip live there and a non-login PATH may lack it (ProcessRunner looks there as well)
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) return candidate;
    }
    requireThat(false, program + " is not installed (.ci/run must install it)");
    return null;
  }

  /**
   * Goes on when {@code available}; otherwise fails under CI=true and skips elsewhere, with one
   * message naming what is missing ({@code missing}, e.g. "cannot mount a tmpfs (needs root)").
   */
  public static void requireThat(boolean available, String missing) {
    if (available) return;
    if (strict()) throw new AssertionError(missing + " [CI=true: what a test needs must be there; it fails rather than skips]");
    assumeTrue(false, missing + ": skipping this test");
  }

  /** Under CI=true a test that cannot run fails instead of skipping. */
  public static boolean strict() {
    return "true".equals(System.getenv("CI"));
  }

  /** Runs a command to completion (bounded), returning its exit code. */
  public static int run(long timeoutSeconds, Path log, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return process.exitValue();
  }
}
