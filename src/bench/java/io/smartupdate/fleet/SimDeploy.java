package io.smartupdate.fleet;

import io.smartupdate.redfish.BenchProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code smartupdate deploy} of the served baseline (no --image) to a fleet of {@link SimBmcs}, as
 * its own process through bin/smartupdate (as shipped): what the IT, bench-deploy and fleet-sim run.
 */
public final class SimDeploy {
  private SimDeploy() {}

  /**
   * The command line: the server's HTTP API on {@code apiPort} (its token in {@code data}), every
   * sim BMC from a --bmc-file in {@code dir}, their CA, --parallel {@code parallel}; {@code extra} last.
   */
  public static List<String> command(Path dir, SimBmcs bmcs, SimBmcs.Options options, int apiPort, Path data, int parallel, String... extra)
      throws IOException {
    return command(List.of(), dir, bmcs, options, apiPort, data, parallel, extra);
  }

  /** As above, with {@code jvmOptions} for deploy's JVM (an A/B's system property). */
  public static List<String> command(List<String> jvmOptions, Path dir, SimBmcs bmcs, SimBmcs.Options options, int apiPort, Path data, int parallel,
      String... extra) throws IOException {
    Path bmcFile = bmcs.writeBmcFile(dir.resolve("bmcs.txt"));
    Path password = Files.writeString(dir.resolve("bmc-password"), options.password() + "\n");
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(apiPort), "--data", data.toString(),
        "--logdir", dir.resolve("deploy-logs").toString(), "--bmc-file", bmcFile.toString(), "--user", options.user(),
        "--password-file", password.toString(), "--bmc-ca", bmcs.writeCa(dir.resolve("sim-bmc-ca.pem")).toString(),
        "--parallel", String.valueOf(parallel), "--fetch-timeout", "60", "--timeout", "120", "--silent"));
    args.addAll(List.of(extra));
    return BenchProcess.smartupdate(jvmOptions, args);
  }

  /** Starts deploy, its output in {@code dir}/deploy.out and deploy.err. */
  public static Process start(Path dir, List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectOutput(dir.resolve("deploy.out").toFile()).redirectError(dir.resolve("deploy.err").toFile()).start();
  }

  /** The first lines of deploy's output that name a failure, for a benchmark's or a test's message. */
  public static String failures(Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("deploy.err")));
    lines.addAll(Files.readAllLines(dir.resolve("deploy.out")));
    return String.join("\n", lines.stream().filter(l -> !l.isBlank()).limit(8).toList());
  }

  /** Waits until the server at {@code base} serves the default baseline (it hashes the files first), or fails at {@code within}. */
  public static void awaitBaseline(String base, Duration within) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + within.toNanos();
    int status = 0;
    while (System.nanoTime() < deadline) {
      status = client.send(HttpRequest.newBuilder(URI.create(base + "/api/baselines/default")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 200) return;
      Thread.sleep(100);
    }
    throw new IllegalStateException(base + "/api/baselines/default still answers " + status + " after " + within.toSeconds() + " s");
  }

  /** The members not at {@link SimImage#TARGET}, counted over all BMCs ("BMC 3, NIC 1"), or "none". */
  public static String notUpdated(SimBmcs bmcs) {
    Map<String, Long> counts = new TreeMap<>();
    for (SimBmc bmc : bmcs.bmcs()) {
      for (String member : SimImage.MEMBERS) {
        if (!SimImage.TARGET.equals(bmc.version(member))) counts.merge(member, 1L, Long::sum);
      }
    }
    return counts.isEmpty() ? "none" : String.join(", ", counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
  }

  /** How many BMCs run every member at {@link SimImage#TARGET}. */
  public static long updated(SimBmcs bmcs) {
    return bmcs.bmcs().stream().filter(b -> SimImage.MEMBERS.stream().allMatch(m -> SimImage.TARGET.equals(b.version(m)))).count();
  }
}
