package io.smartupdate.testing;

import io.smartupdate.testing.TestServer.Scheme;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            timeout check 10s
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

  /** Waits until every per-server frontend answers /health: each server is up in HAProxy's eyes too. */
  private void awaitListening(Path file) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < servers; i++) {
      while (!healthy(client, direct(i, "http"))) {
        if (!process.isAlive()) throw new IOException("haproxy exited (" + process.exitValue() + "); see " + file.resolveSibling("haproxy.log"));
        if (System.nanoTime() > deadline) throw new IOException("server " + i + " is not up behind haproxy within 60 s; see " + file.resolveSibling("haproxy.log"));
        Thread.sleep(200);
      }
    }
  }

  private static boolean healthy(HttpClient client, String base) throws InterruptedException {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
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
