package io.smartupdate.testing;

import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (the Debian package) in TCP mode on loopback, its configuration written to a
 * temporary directory: one HTTP and one HTTPS frontend balancing over the servers (leastconn), and
 * per server one HTTP and one HTTPS frontend reaching that server alone, all with send-proxy-v2 and
 * health checks that send the header too; a connection refused by a dead server is retried on
 * another (option redispatch). Stopped (and waited for) on close. Needs haproxy on PATH (.ci/run).
 */
public final class HaProxy implements AutoCloseable {
  /** A server's two ports. */
  public record Backend(int http, int https) {
    public static Backend of(TestServer server) {
      return new Backend(server.port(Scheme.HTTP), server.port(Scheme.HTTPS));
    }

    int port(Scheme scheme) {
      return scheme == Scheme.HTTP ? http : https;
    }
  }

  private final Process process;
  private final int first;
  private final int servers;

  private HaProxy(Process process, int first, int servers) {
    this.process = process;
    this.first = first;
    this.servers = servers;
  }

  public static HaProxy start(Path dir, List<Backend> servers) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int first = Ports.freeRange(2 + 2 * servers.size());
    StringBuilder config = new StringBuilder("""
        global
            maxconn 4000
        defaults
            mode tcp
            timeout connect 5s
            timeout client 2m
            timeout server 2m
            retries 3
            option redispatch
        """);
    for (Scheme scheme : Scheme.values()) {
      int offset = scheme == Scheme.HTTP ? 0 : 1;
      String name = scheme.name().toLowerCase();
      config.append("frontend ").append(name).append("\n    bind 127.0.0.1:").append(first + offset)
          .append("\n    default_backend be_").append(name).append("\nbackend be_").append(name)
          .append("\n    balance leastconn\n    option httpchk GET /health\n    http-check expect status 200\n");
      for (int i = 0; i < servers.size(); i++) config.append(serverLine(i, servers.get(i), scheme));
      for (int i = 0; i < servers.size(); i++) {
        String direct = name + "-" + i;
        config.append("frontend ").append(direct).append("\n    bind 127.0.0.1:").append(first + 2 + 2 * i + offset)
            .append("\n    default_backend be_").append(direct).append("\nbackend be_").append(direct)
            .append("\n    option httpchk GET /health\n    http-check expect status 200\n")
            .append(serverLine(i, servers.get(i), scheme));
      }
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, config);
    Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    HaProxy proxy = new HaProxy(process, first, servers.size());
    proxy.awaitListening(file);
    return proxy;
  }

  private static String serverLine(int i, Backend server, Scheme scheme) {
    return "    server s" + i + " 127.0.0.1:" + server.port(scheme) + " check inter 1s port " + server.http()
        + " check-send-proxy send-proxy-v2\n";
  }

  private void awaitListening(Path file) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IOException("haproxy exited (" + process.exitValue() + "); see " + file.resolveSibling("haproxy.log"));
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", first + 1 + 2 * servers), 500);
        Thread.sleep(2500); // the first health checks (inter 1s, rise 2) mark the servers up
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("haproxy did not listen within 15 s; see " + file.resolveSibling("haproxy.log"));
  }

  /** The balanced frontend, {@code http} or {@code https}. */
  public String url(String scheme) {
    return scheme + "://127.0.0.1:" + (first + (scheme.equals("http") ? 0 : 1));
  }

  /** The frontend that reaches server {@code i} alone. */
  public String direct(int i, String scheme) {
    return scheme + "://127.0.0.1:" + (first + 2 + 2 * i + (scheme.equals("http") ? 0 : 1));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
