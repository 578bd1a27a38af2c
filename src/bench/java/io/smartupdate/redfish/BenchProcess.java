package io.smartupdate.redfish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A benchmarked command run as its own process through bin/smartupdate (as shipped), watched from /proc until it ends. */
public final class BenchProcess {
  /** Clock ticks per second of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;

  /** Wall time from start to exit, the peaks of threads and resident memory (VmHWM) seen every 20 ms, and CPU seconds (user + system). */
  public record Peaks(int exit, double wallSeconds, int threads, long rssKb, double cpuSeconds) {
    public double rssMib() {
      return rssKb / 1024.0;
    }
  }

  private BenchProcess() {}

  /** {@code bin/smartupdate args...}: the command as shipped (the launcher's Java, start-up cache and JVM options). */
  public static List<String> smartupdate(List<String> args) {
    return smartupdate(List.of(), args);
  }

  /**
   * As {@link #smartupdate(List)}, with {@code jvmOptions} (an A/B's) after the launcher's own; a
   * {@code NAME=VALUE} among them is set in the environment, where it wins over the launcher's.
   */
  public static List<String> smartupdate(List<String> jvmOptions, List<String> args) {
    // env execs the launcher and the launcher execs java: the process watched is the JVM itself.
    List<String> command = new ArrayList<>(List.of("env"));
    jvmOptions.stream().filter(o -> !o.startsWith("-")).forEach(command::add);
    List<String> extra = jvmOptions.stream().filter(o -> o.startsWith("-")).toList();
    if (!extra.isEmpty()) {
      // SMARTUPDATE_JAVA_OPTS replaces the launcher's options, so it carries them too.
      command.add("SMARTUPDATE_JAVA_OPTS=" + String.join(" ", launcherOptions(args)) + " " + String.join(" ", extra));
    }
    command.add(Path.of("bin", "smartupdate").toAbsolutePath().toString());
    command.addAll(args);
    return command;
  }

  /** The JVM options bin/smartupdate gives the Java it picks for the command line {@code args} (src/dist/lib/jvm.sh). */
  static List<String> launcherOptions(List<String> args) {
    String script = ". src/dist/lib/jvm.sh && su_pick_java && su_java_opts \"$@\"";
    List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    command.addAll(args);
    try {
      Process sh = new ProcessBuilder(command).redirectErrorStream(true).start();
      String options = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (sh.waitFor() != 0 || options.isEmpty()) {
        throw new IllegalStateException("src/dist/lib/jvm.sh gave no JVM options (run from the project's directory): " + options);
      }
      return List.of(options.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run sh to read src/dist/lib/jvm.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the launcher's JVM options", e);
    }
  }

  /** Waits for {@code process} to end, reading its /proc status meanwhile. */
  public static Peaks watch(Process process) throws InterruptedException {
    long start = System.nanoTime();
    Watch watch = new Watch(process.pid());
    while (process.isAlive()) {
      watch.sample();
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return new Peaks(process.waitFor(), wall, watch.threads, watch.rssKb, watch.cpuSeconds);
  }

  /** Peaks of one process read from /proc on each {@link #sample}; a process that ended keeps its last figures. */
  public static final class Watch {
    private final long pid;
    private int threads;
    private long rssKb;
    private double cpuSeconds;

    public Watch(long pid) {
      this.pid = pid;
    }

    public void sample() {
      for (String line : read("status")) {
        if (line.startsWith("Threads:")) threads = Math.max(threads, Integer.parseInt(line.split("\\s+")[1]));
        if (line.startsWith("VmHWM:")) rssKb = Math.max(rssKb, Long.parseLong(line.split("\\s+")[1]));
      }
      List<String> stat = read("stat");
      if (!stat.isEmpty()) {
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        String[] fields = stat.get(0).substring(stat.get(0).lastIndexOf(')') + 2).split(" ");
        cpuSeconds = Math.max(cpuSeconds, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS);
      }
    }

    public int threads() {
      return threads;
    }

    public double rssMib() {
      return rssKb / 1024.0;
    }

    public double cpuSeconds() {
      return cpuSeconds;
    }

    private List<String> read(String file) {
      try {
        return Files.readAllLines(Path.of("/proc/" + pid + "/" + file));
      } catch (Exception e) {
        return List.of(); // the process just ended
      }
    }
  }
}
