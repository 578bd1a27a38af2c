package io.smartupdate.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (not a test): hand-off sessions opened and closed per second, and the time from
 * {@code POST /api/handoff} to the first byte of a download on the dedicated port. Run by
 * bench/bench-handoff against a real server process.
 *
 * <p>Arguments: BASE_URL TOKEN_FILE SECONDS THREADS FIRMWARE_PATH
 */
public final class HandoffBenchmark {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = Files.readString(Path.of(args[1])).trim();
    int seconds = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    String firmware = args[4];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    AtomicLong cycles = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    run(threads, seconds, () -> {
      JsonNode session = open(client, base, token);
      if (session == null) {
        failures.incrementAndGet();
        return;
      }
      HttpResponse<Void> deleted = client.send(HttpRequest.newBuilder(URI.create(base + "/api/handoff/" + session.get("id").asText()))
          .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
      if (deleted.statusCode() == 204) cycles.incrementAndGet(); else failures.incrementAndGet();
    });
    System.out.printf("handoff_open_close_per_s %.0f sessions/s  (threads=%d, %d s, failures=%d)%n",
        cycles.get() / (double) seconds, threads, seconds, failures.get());

    List<Long> firstByte = Collections.synchronizedList(new ArrayList<>());
    run(1, seconds, () -> {
      long start = System.nanoTime();
      JsonNode session = open(client, base, token);
      if (session == null) return;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(URI.create(base).getHost(), session.get("port").asInt()), 2000);
        socket.getOutputStream().write(("GET " + firmware + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-SU-Session: "
            + session.get("token").asText() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        if (in.read() >= 0) firstByte.add(System.nanoTime() - start);
        in.readAllBytes();
      }
      client.send(HttpRequest.newBuilder(URI.create(base + "/api/handoff/" + session.get("id").asText()))
          .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    });
    List<Long> sorted = new ArrayList<>(firstByte);
    Collections.sort(sorted);
    if (!sorted.isEmpty()) {
      System.out.printf("handoff_first_byte_ms median %.3f  p99 %.3f  (n=%d; POST /api/handoff -> first byte on the dedicated port)%n",
          sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6, sorted.size());
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(int threads, int seconds, Step step) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        while (System.nanoTime() < deadline) {
          try {
            step.run();
          } catch (Exception e) {
            System.err.println("benchmark step failed: " + e);
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
  }

  private static JsonNode open(HttpClient client, String base, String token) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/handoff")).header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 201 ? Json.MAPPER.readTree(r.body()) : null;
  }
}
