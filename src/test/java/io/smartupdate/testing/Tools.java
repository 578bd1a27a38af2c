package io.smartupdate.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * External programs and privileges the tests drive for real: a missing one fails the test, so no
 * run passes by skipping (.ci/run installs them all). A developer without, say, Chromium can
 * opt out with {@code SMARTUPDATE_TEST_LENIENT=1}: such tests are then skipped, visibly. Whatever
 * CI sets or does not set, strict is the default.
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

  /** The developer's opt-out: set to 1, a test whose tool or privilege is missing is skipped instead of failed. */
  public static final String LENIENT = "SMARTUPDATE_TEST_LENIENT";

  /**
   * Goes on when {@code available}; otherwise fails (or, under {@value #LENIENT}=1, skips), with
   * one message naming what is missing ({@code missing}, e.g. "cannot mount a tmpfs (needs root)").
   */
  public static void requireThat(boolean available, String missing) {
    if (available) return;
    if (strict()) {
      throw new AssertionError(missing + " [what a test needs must be there: it fails rather than skips; "
          + LENIENT + "=1 skips instead, for a developer's machine]");
    }
    assumeTrue(false, missing + ": skipping this test (" + LENIENT + "=1)");
  }

  /** True unless {@value #LENIENT}=1: a test that cannot run fails instead of skipping. */
  public static boolean strict() {
    return strict(System.getenv(LENIENT));
  }

  static boolean strict(String lenient) {
    return !"1".equals(lenient);
  }

  /** Runs a command to completion (bounded), returning its exit code. */
  public static int run(long timeoutSeconds, Path log, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return process.exitValue();
  }
}
