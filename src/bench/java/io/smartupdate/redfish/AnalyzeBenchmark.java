package io.smartupdate.redfish;

import io.smartupdate.baseline.Baseline;
import io.smartupdate.baseline.Component;
import io.smartupdate.baseline.ComponentClass;
import io.smartupdate.baseline.Match;
import io.smartupdate.compliance.ComplianceServer;
import io.smartupdate.tls.HeldCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark (not a test): {@code smartupdate analyze} of N BMCs at --parallel P; prints analyze's
 * wall time, peak threads and peak RSS (from /proc while it runs). Four stubs (iLO 5, iLO 6,
 * iDRAC 9, OpenBMC) bound to 0.0.0.0 answer as N BMCs, one loopback address each (127.0.x.y), so
 * every BMC is its own node with its own login; the compliance routes run on a real SQLite store
 * in this JVM, analyze in its own process through bin/smartupdate (as shipped).
 *
 * <p>Arguments: BMCS PARALLEL [--ab: analyze twice, A with the JDK's own HttpClient pools, B as shipped]. Run by bench/bench-analyze.
 */
public final class AnalyzeBenchmark {
  private AnalyzeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int parallel = Integer.parseInt(args[1]);
    boolean ab = args.length > 2 && args[2].equals("--ab");
    Path dir = Files.createTempDirectory("bench-analyze");
    HeldCertificate ca = HeldCertificate.builder().commonName("Stub BMC CA").certificateAuthority(0).build();
    HeldCertificate leaf = HeldCertificate.builder().commonName("bmc").addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
    List<RedfishStub> stubs = new ArrayList<>();
    try (ComplianceServer server = ComplianceServer.start(dir.resolve("data"))) {
      for (FakeBmc.Dialect dialect : List.of(FakeBmc.Dialect.ILO5, FakeBmc.Dialect.ILO6, FakeBmc.Dialect.IDRAC9, FakeBmc.Dialect.OPENBMC)) {
        stubs.add(RedfishStub.start(new FakeBmc(dialect).installed("1.00"), leaf, ca, dir, "0.0.0.0"));
      }
      server.baselines.put(Baseline.DEFAULT, new Baseline(Baseline.DEFAULT, List.of(
          component("ilo5", "3.10", new Match(null, List.of(FakeBmc.ILO_TARGET), null, null, null, List.of("Gen10"), null, null)),
          component("ilo6", "1.60", new Match(null, null, null, null, null, List.of("Gen11"), null, "^iLO 6$")),
          component("rom", "2.19.1", new Match(null, List.of(FakeBmc.ROM_TARGET), null, null, null, null, null, null)),
          component("idrac", "7.10.30.00", new Match(null, null, null, "25227", null, null, null, null)),
          component("openbmc", "2.14.0", new Match(null, null, null, null, null, null, null, "^bmc_active$")))));
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int port = Integer.parseInt(stubs.get(i % stubs.size()).address().split(":")[1]);
        lines.add("127.0." + (i / 250 + 1) + "." + (i % 250 + 1) + ":" + port);
      }
      Path bmcFile = Files.write(dir.resolve("bmcs.txt"), lines);
      Path password = Files.writeString(dir.resolve("pw"), FakeBmc.PASSWORD + "\n");
      if (ab) analyze("A (JDK HttpClient pools)", List.of("-Dsmartupdate.httpclient.pool=jdk"), server, dir, bmcFile, password, count, parallel);
      analyze(ab ? "B (as shipped)" : "analyze", List.of(), server, dir, bmcFile, password, count, parallel);
    } finally {
      stubs.forEach(RedfishStub::close);
    }
  }

  private static void analyze(String label, List<String> jvmOptions, ComplianceServer server, Path dir, Path bmcFile, Path password, int count,
      int parallel) throws Exception {
    Path csvFile = dir.resolve(label.replaceAll("[^A-Za-z]", "") + ".csv");
    Process analyze = new ProcessBuilder(BenchProcess.smartupdate(jvmOptions, List.of("analyze", "--port", String.valueOf(server.port()),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("logs").toString(), "--bmc-file", bmcFile.toString(),
        "--user", FakeBmc.USER, "--password-file", password.toString(), "--insecure-bmc", "--parallel", String.valueOf(parallel), "--csv")))
        .redirectOutput(csvFile.toFile()).redirectError(dir.resolve("analyze.err").toFile()).start();
    BenchProcess.Peaks peaks = BenchProcess.watch(analyze);
    List<String> csv = Files.readAllLines(csvFile);
    long updates = csv.stream().filter(l -> l.contains(",update,")).count();
    long errors = csv.stream().filter(l -> l.contains(",error,")).count();
    System.out.printf("%s: analyze of %d BMCs, --parallel %d: exit %d, %d rows (%d update, %d not analysed), wall %.1f s, peak threads %d, "
        + "peak RSS %.0f MiB, CPU %.1f s (%.1f ms per BMC)%n", label, count, parallel, peaks.exit(), csv.size() - 1, updates, errors, peaks.wallSeconds(),
        peaks.threads(), peaks.rssMib(), peaks.cpuSeconds(), peaks.cpuSeconds() * 1000 / count);
    if (errors > 0) csv.stream().filter(l -> l.contains(",error,")).limit(3).forEach(System.out::println);
  }

  private static Component component(String id, String version, Match match) {
    return new Component(id, id, "bench", ComponentClass.OTHER, id + ".bin", "0".repeat(64), 1, version, null, match, null, null, 0,
        null, null, null, null);
  }
}
