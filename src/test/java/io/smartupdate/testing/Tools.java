package io.smartupdate.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** External programs the tests drive for real; missing ones fail in CI and skip visibly elsewhere. */
public final class Tools {
  private Tools() {}

  public static Path require(String program) {
    // sbin too: nft, iptables and ip live there and a non-login PATH may lack it (ProcessRunner looks there as well)
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) return candidate;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(program + " is not installed; .ci/run must install it");
    }
    assumeTrue(false, program + " is not installed: skipping (install it to run this test)");
    return null;
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
