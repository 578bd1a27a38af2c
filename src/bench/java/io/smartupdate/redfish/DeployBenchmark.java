package io.smartupdate.redfish;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Benchmark (not a test): {@code smartupdate deploy} to N stub BMCs that really fetch from a real
 * server; prints deploy's wall time, peak threads and peak RSS (read from /proc while it runs).
 * The stubs and the server run in this JVM; deploy runs as its own process, so its figures are its own.
 * Run by bench/bench-deploy.
 *
 * <p>Arguments: BMCS PARALLEL IMAGE_BYTES [--tty: deploy writes to this terminal]
 */
public final class DeployBenchmark {
  private DeployBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int parallel = Integer.parseInt(args[1]);
    int imageBytes = Integer.parseInt(args[2]);
    boolean tty = args.length > 3 && args[3].equals("--tty");
    Path dir = Files.createTempDirectory("bench-deploy");
    try (DeployFixture fixture = new DeployFixture(dir, imageBytes)) {
      List<String> lines = new ArrayList<>();
      long stubsStarted = System.nanoTime();
      FakeBmc.Dialect[] dialects = FakeBmc.Dialect.values();
      for (int i = 0; i < count; i++) lines.add(fixture.stub(dialects[i % dialects.length], b -> {}).address());
      System.err.printf("%d stub BMCs started in %.1f s%n", count, (System.nanoTime() - stubsStarted) / 1e9);
      Path bmcFile = Files.write(dir.resolve("bmcs.txt"), lines);
      Path password = Files.writeString(dir.resolve("pw"), FakeBmc.PASSWORD + "\n");
      List<String> command = BenchProcess.smartupdate(List.of("deploy", "--port", String.valueOf(fixture.server.port(io.smartupdate.testing.TestServer.Scheme.HTTP)),
          "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--bmc-file", bmcFile.toString(),
          "--user", FakeBmc.USER, "--password-file", password.toString(), "--image", DeployFixture.IMAGE, "--bmc-ca", fixture.caPem.toString(),
          "--parallel", String.valueOf(parallel), "--fetch-timeout", "60", "--timeout", "120"));
      ProcessBuilder builder = new ProcessBuilder(command);
      if (tty) builder.inheritIO();
      else builder.redirectOutput(dir.resolve("deploy.out").toFile()).redirectError(dir.resolve("deploy.err").toFile());
      Process deploy = builder.start();
      BenchProcess.Peaks peaks = BenchProcess.watch(deploy);
      int exit = peaks.exit();
      long updated = fixture.stubs.stream().filter(s -> "2.00".equals(s.bmc.version)).count();
      System.out.printf("deploy to %d BMCs, --parallel %d, %d-byte image: exit %d, %d updated, wall %.1f s, peak threads %d, peak RSS %.0f MiB%n",
          count, parallel, imageBytes, exit, updated, peaks.wallSeconds(), peaks.threads(), peaks.rssKb() / 1024.0);
      if (exit != 0 && !tty) System.out.println(Files.readString(dir.resolve("deploy.out")).lines().filter(l -> l.contains("failed")).limit(5)
          .collect(Collectors.joining("\n")));
    }
  }
}
