package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces made for one test, {@code su-fw-<random>-srv} and {@code -node}, joined by
 * a veth pair with 10.213.R.1/30 (srv) and .2 (node): traffic in these tests never leaves them.
 * {@link #close} kills what runs inside and deletes both; {@link #deleteLeftovers} catches any a
 * failed test left.
 */
final class NetnsPair implements AutoCloseable {
  private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

  final String srv;
  final String node;
  final String srvAddress;
  private final List<Child> children = Collections.synchronizedList(new ArrayList<>());

  private NetnsPair(String name, int subnet) {
    this.srv = name + "-srv";
    this.node = name + "-node";
    this.srvAddress = "10.213." + subnet + ".1";
  }

  /** Creates the pair; when this machine cannot, the test fails under CI=true and skips elsewhere (with the reason). */
  static NetnsPair create() {
    Tools.require("ip");
    String name = "su-fw-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    int subnet = ThreadLocalRandom.current().nextInt(256);
    NetnsPair pair = new NetnsPair(name, subnet);
    Run added = run("ip", "netns", "add", pair.srv);
    Tools.requireThat(added.ok(), "cannot create network namespaces (needs root, CAP_SYS_ADMIN): " + added.output.strip());
    CREATED.add(pair.srv);
    try {
      pair.must("ip", "netns", "add", pair.node);
      CREATED.add(pair.node);
      pair.must("ip", "-n", pair.srv, "link", "add", "veth0", "type", "veth", "peer", "name", "veth0", "netns", pair.node);
      pair.must("ip", "-n", pair.srv, "addr", "add", pair.srvAddress + "/30", "dev", "veth0");
      pair.must("ip", "-n", pair.node, "addr", "add", "10.213." + subnet + ".2/30", "dev", "veth0");
      for (String ns : List.of(pair.srv, pair.node)) {
        pair.must("ip", "-n", ns, "link", "set", "lo", "up");
        pair.must("ip", "-n", ns, "link", "set", "veth0", "up");
      }
      return pair;
    } catch (RuntimeException | Error e) {
      pair.close();
      throw e;
    }
  }

  /** Runs a command inside the server namespace; fails the test if it fails. */
  String inSrv(String... command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", srv));
    argv.addAll(List.of(command));
    return must(argv.toArray(String[]::new)).output;
  }

  /** True when the node namespace gets an HTTP answer from the server namespace on {@code port} within 2 s. */
  boolean nodeReaches(int port) {
    String curl = Tools.require("curl").toString();
    Run result = run("ip", "netns", "exec", node, curl, "-s", "-o", "/dev/null", "--connect-timeout", "2", "--max-time", "4",
        "http://" + srvAddress + ":" + port + "/");
    return result.ok();
  }

  /** Starts a Java main of the test classpath inside the server namespace and waits for its first line to start with {@code ready}. */
  Child javaInSrv(String ready, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", srv,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath(), NamespaceMain.class.getName()));
    argv.addAll(List.of(args));
    Child child = new Child(argv);
    children.add(child);
    child.await(ready);
    return child;
  }

  /** Starts bin/smartupdate inside the server namespace and waits for its ready line. */
  Child serverInSrv(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", srv, Path.of("bin/smartupdate").toAbsolutePath().toString()));
    argv.addAll(List.of(args));
    Child child = new Child(argv);
    children.add(child);
    child.await("smartupdate ready");
    return child;
  }

  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  @Override
  public void close() {
    synchronized (children) {
      children.forEach(Child::kill);
    }
    for (String ns : List.of(srv, node)) {
      if (CREATED.remove(ns)) run("ip", "netns", "del", ns);
    }
  }

  /** True when {@code program} is on PATH or in an sbin directory (for optional tools: the test skips without them). */
  static boolean installed(String program) {
    return new ProcessRunner(List.of(), Duration.ofSeconds(5)).find(program).isPresent();
  }

  static void deleteLeftovers() {
    for (String ns : List.copyOf(CREATED)) {
      if (CREATED.remove(ns)) run("ip", "netns", "del", ns);
    }
  }

  private Run must(String... argv) {
    Run result = run(argv);
    assertEquals(0, result.exit, () -> String.join(" ", argv) + " failed: " + result.output);
    return result;
  }

  record Run(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Run run(String... argv) {
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", argv) + " did not finish in 20 s");
      }
      return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A process inside a namespace whose output is collected line by line; its stdin stays open until {@link #stop}. */
  static final class Child {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    Child(List<String> argv) {
      try {
        process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError("cannot start " + argv, e);
      }
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            seen.add(line);
            lines.add(line);
          }
        } catch (IOException e) {
          // killed
        }
      }, "netns-child");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line starting with {@code prefix} as long as any launched server's ready line (a JVM start on a loaded box); returns it. */
    String await(String prefix) {
      long deadline = System.nanoTime() + LaunchedServer.READY_TIMEOUT.toNanos();
      try {
        while (System.nanoTime() < deadline) {
          String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (line != null && line.startsWith(prefix)) return line;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kill();
      throw new AssertionError("no line starting with '" + prefix + "' from the process; it printed: " + seen);
    }

    long pid() {
      return process.pid();
    }

    /** Closes its stdin: a NamespaceMain ends cleanly (and closes its firewall). */
    void stop() throws IOException, InterruptedException {
      process.getOutputStream().close();
      process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM (the launcher execs the JVM, so it is the server that gets it); returns the exit code. */
    int terminate() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("did not stop within 10 s of SIGTERM: " + seen);
      return process.exitValue();
    }

    /** kill -9: no shutdown hook, no close; what a crash leaves behind. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
