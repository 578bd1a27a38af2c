package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.LaunchedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options bin/smartupdate gives each subcommand, read from the command line it execs (a
 * stand-in java that prints its arguments): deploy and analyze run on a heap of their own, not the
 * server's (whose fixed young generation is sized for request garbage), and SMARTUPDATE_JAVA_OPTS
 * replaces the defaults of every subcommand.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LauncherJvmOptionsIT {
  private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)m");
  @TempDir Path dir;

  @Test
  void deployAndAnalyzeGetAHeapOfTheirOwnNotTheServers() throws Exception {
    String server = javaCommand(Map.of(), "--port", "8080");
    String deploy = javaCommand(Map.of(), "deploy", "--parallel", "64", "--bmc-file", "bmcs.txt");
    String analyze = javaCommand(Map.of(), "analyze", "--parallel", "64");
    assertTrue(server.contains("-Xmn"), "the server's young generation is fixed: " + server);
    assertFalse(deploy.contains("-Xmn"), "deploy's records outlive requests; its young generation is the JVM's choice: " + deploy);
    assertTrue(maxHeapMib(deploy) >= 160, "room for 1,000 BMCs' records (96 MiB filled up in bench-deploy): " + deploy);
    assertEquals(maxHeapMib(deploy), maxHeapMib(analyze), "analyze holds what deploy's analysis holds");
    assertTrue(deploy.contains("-XX:+ExitOnOutOfMemoryError"), "deploy too ends on an OutOfMemoryError: " + deploy);
    assertTrue(deploy.contains("-XX:TieredStopAtLevel=1") && analyze.contains("-XX:TieredStopAtLevel=1"),
        "deploy and analyze wait on BMCs: C1 only, 50 MiB less at the same CPU (BENCHMARKS.md): " + deploy);
    assertFalse(server.contains("TieredStopAtLevel"), "the server needs C2 for its request rate: " + server);
  }

  @Test
  void smartupdateJavaOptsReplacesTheDefaultsOfEverySubcommand() throws Exception {
    Map<String, String> env = Map.of("SMARTUPDATE_JAVA_OPTS", "-Xmx77m -XX:+UseSerialGC");
    for (List<String> args : List.of(List.of("--port", "8080"), List.of("deploy", "--parallel", "8"))) {
      String command = javaCommand(env, args.toArray(String[]::new));
      assertEquals(77, maxHeapMib(command), command);
      assertEquals(1, XMX.matcher(command).results().count(), "only the operator's -Xmx: " + command);
    }
  }

  /** The arguments bin/smartupdate passes to java for {@code args}, as one line. */
  private String javaCommand(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path java = dir.resolve("java");
    Path out = dir.resolve("args.txt");
    Files.writeString(java, "#!/bin/sh\nprintf '%s ' \"$@\" > '" + out + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    List<String> command = new ArrayList<>(List.of(LaunchedServer.LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder launch = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectErrorStream(true);
    launch.environment().remove("SMARTUPDATE_JAVA_OPTS");
    launch.environment().putAll(env);
    launch.environment().put("SMARTUPDATE_JAVA", java.toString());
    Process process = launch.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return Files.readString(out);
  }

  private static int maxHeapMib(String command) {
    Matcher xmx = XMX.matcher(command);
    assertTrue(xmx.find(), "no -Xmx in " + command);
    return Integer.parseInt(xmx.group(1));
  }
}
