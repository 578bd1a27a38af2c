package io.smartupdate.fleet;

import io.smartupdate.redfish.BenchProcess;
import io.smartupdate.redfish.BmcTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark (not a test), run by bench/bench-deploy: {@code smartupdate deploy} of a served
 * baseline (three components: BIOS, NIC, BMC) to N {@link SimBmcs} that really fetch and check each
 * image, the BMC resetting after its own firmware. deploy and the server each run as their own
 * process through bin/smartupdate (its Java, options and start-up cache); the sim BMCs run in this JVM. Prints deploy's wall
 * time, peak threads, peak RSS and CPU-seconds per BMC, the server's peaks, the sims' own cost, and
 * the server's small-GET rate (wrk) alone and while deploy runs. With --ab, deploy runs twice on
 * the same server, A with the JDK's own HttpClient pools ({@code -Dsmartupdate.httpclient.pool=jdk}),
 * B as shipped, each to fresh BMCs; {@code --a-jvm "OPTIONS"} makes A deploy with those JVM options
 * after the launcher's instead ({@code NAME=VALUE} among them: in its environment), an A/B of memory settings.
 *
 * <p>Arguments: BMCS PARALLEL IMAGE_BYTES [--ab | --a-jvm OPTIONS] [DEPLOY-OPTION...] (appended to deploy's command line)
 */
public final class DeployBenchmark {
  private static final int WRK_SECONDS = 5;

  private final Path dir;
  private final BenchServer server;
  private final SimBmcs bmcs;
  private final int count;
  private final int parallel;
  private final List<String> extra;

  private DeployBenchmark(Path dir, BenchServer server, SimBmcs bmcs, int parallel, List<String> extra) {
    this.dir = dir;
    this.server = server;
    this.bmcs = bmcs;
    this.count = bmcs.bmcs().size();
    this.parallel = parallel;
    this.extra = extra;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: DeployBenchmark BMCS PARALLEL IMAGE_BYTES [--ab | --a-jvm OPTIONS] [DEPLOY-OPTION...]");
    }
    int count = Integer.parseInt(args[0]);
    int parallel = Integer.parseInt(args[1]);
    int imageBytes = Integer.parseInt(args[2]);
    List<String> extra = new ArrayList<>(List.of(args).subList(3, args.length));
    boolean ab = extra.remove("--ab");
    List<String> aJvm = List.of("-Dsmartupdate.httpclient.pool=jdk");
    String aLabel = "A (JDK HttpClient pools)";
    int at = extra.indexOf("--a-jvm");
    if (at >= 0) {
      if (at + 1 >= extra.size()) throw new IllegalArgumentException("--a-jvm needs the JVM options of run A, in one argument");
      aJvm = List.of(extra.get(at + 1).trim().split("\\s+"));
      aLabel = "A (" + extra.get(at + 1).trim() + ")";
      extra.subList(at, at + 2).clear();
      ab = true;
    }
    Path dir = Files.createTempDirectory("bench-deploy");
    Path repo = Files.createDirectories(dir.resolve("repo"));
    SimImage.writeRepository(repo, imageBytes);
    Files.write(repo.resolve("small.bin"), new byte[1024]);
    long started = System.nanoTime();
    // The sims first: their ports are then bound when the server's hand-off range is chosen.
    try (SimBmcs bmcs = SimBmcs.start(count, SimBmcs.Options.DEFAULT, BmcTls.insecure());
         BenchServer server = BenchServer.start(dir, repo, Math.max(parallel + 8, 32))) {
      SimDeploy.awaitBaseline(server.base(), Duration.ofSeconds(60));
      FleetSim.say("%d sim BMCs and the server started in %.1f s; deploy of a 3-component baseline (%d-byte images) to %d sim BMCs, --parallel %d",
          count, (System.nanoTime() - started) / 1e9, imageBytes, count, parallel);
      DeployBenchmark bench = new DeployBenchmark(dir, server, bmcs, parallel, extra);
      if (ab) bench.run(aLabel, aJvm);
      bench.run(ab ? "B (as shipped)" : "deploy", List.of());
      FleetSim.say("files (deploy's output and log, the server's logs): %s", dir);
    }
  }

  private void run(String label, List<String> jvmOptions) throws Exception {
    Path round = Files.createDirectories(dir.resolve(label.replaceAll("[^A-Za-z]", "")));
    SimBmcs.Options options = SimBmcs.Options.DEFAULT;
    bmcs.reinstall();
    BenchProcess.Watch sims = new BenchProcess.Watch(ProcessHandle.current().pid());
    sims.sample();
    String small = server.base() + "/firmware/small.bin";
    double alone = Wrk.rate(small, WRK_SECONDS);
    Files.writeString(Path.of("/proc/" + server.pid() + "/clear_refs"), "5"); // the server's peak RSS from here on
    BenchProcess.Watch serving = new BenchProcess.Watch(server.pid());
    serving.sample();
    double serverCpuBefore = serving.cpuSeconds();
    long start = System.nanoTime();
    Process deploy = SimDeploy.start(round, SimDeploy.command(jvmOptions, round, bmcs, options, server.http, server.data, parallel,
        extra.toArray(String[]::new)));
    BenchProcess.Watch deploying = new BenchProcess.Watch(deploy.pid());
    CompletableFuture<Double> during = null;
    while (deploy.isAlive()) {
      deploying.sample();
      serving.sample();
      sims.sample();
      if (during == null && System.nanoTime() - start > 2_000_000_000L) during = CompletableFuture.supplyAsync(() -> Wrk.rate(small, WRK_SECONDS));
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    int exit = deploy.waitFor();
    FleetSim.say("%s: exit %d, %d of %d BMCs fully updated (members not updated: %s), wall %.1f s (%.1f BMCs/s)", label, exit,
        SimDeploy.updated(bmcs), count, SimDeploy.notUpdated(bmcs), wall, count / wall);
    FleetSim.say("  deploy: peak threads %d, peak RSS %.0f MiB, CPU %.1f s (%.1f ms per BMC)   [targets: <= 100 threads, <= 256 MiB]",
        deploying.threads(), deploying.rssMib(), deploying.cpuSeconds(), deploying.cpuSeconds() * 1000 / count);
    FleetSim.say("  server: peak threads %d, peak RSS %.0f MiB during the deploy, CPU %.1f s", serving.threads(), serving.rssMib(),
        serving.cpuSeconds() - serverCpuBefore);
    FleetSim.say("  sim BMCs (this JVM): peak threads %d, peak RSS %.0f MiB", sims.threads(), sims.rssMib());
    if (during != null && alone > 0) {
      double with = during.get();
      FleetSim.say("  server small GETs (wrk -t1 -c8, %d s): %.0f/s alone, %.0f/s while deploy runs: %.2fx", WRK_SECONDS, alone, with, with / alone);
    }
    if (exit != 0) FleetSim.say("%s", SimDeploy.failures(round));
  }

  /** wrk's request rate against one URL, bounded by its own -d. */
  static final class Wrk {
    private Wrk() {}

    static double rate(String url, int seconds) {
      try {
        Process wrk = new ProcessBuilder(List.of("wrk", "-t1", "-c8", "-d" + seconds + "s", url)).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        return out.lines().filter(l -> l.startsWith("Requests/sec:")).mapToDouble(l -> Double.parseDouble(l.split("\\s+")[1])).findFirst().orElse(0);
      } catch (IOException e) {
        return 0; // no wrk on PATH: the rate is not printed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }
}
