package io.smartupdate.fleet;

import io.smartupdate.redfish.BenchProcess;
import io.smartupdate.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A smartupdate server as its own process (through bin/smartupdate, as shipped) on free loopback ports, so that its figures are its own. */
final class BenchServer implements AutoCloseable {
  private final Process process;
  final int http;
  final Path data;

  private BenchServer(Process process, int http, Path data) {
    this.process = process;
    this.http = http;
    this.data = data;
  }

  /** Starts a server over {@code repo}, its data, certificates and logs under {@code dir}, and waits for its /health. */
  static BenchServer start(Path dir, Path repo, int handoffPorts) throws IOException, InterruptedException {
    int ports = Ports.freeRange(2);
    int handoff = Ports.freeRange(handoffPorts);
    Path data = dir.resolve("server-data");
    Process process = new ProcessBuilder(BenchProcess.smartupdate(List.of("--bind", "127.0.0.1", "--port", String.valueOf(ports),
        "--ssl-port", String.valueOf(ports + 1), "--strict-ports", "--repo", repo.toString(), "--data", data.toString(),
        "--certs", dir.resolve("server-certs").toString(), "--logdir", dir.resolve("server-logs").toString(),
        "--handoff-ports", handoff + "-" + (handoff + handoffPorts - 1), "--silent")))
        .redirectOutput(dir.resolve("server.out").toFile()).redirectErrorStream(true).start();
    BenchServer server = new BenchServer(process, ports, data);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(server.base() + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    server.close();
    throw new IllegalStateException("the server did not come up within 60 s (exit " + (process.isAlive() ? "-" : process.exitValue()) + "); see " + dir.resolve("server.out"));
  }

  String base() {
    return "http://127.0.0.1:" + http;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
