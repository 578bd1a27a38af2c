package io.smartupdate.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PUT's flaw, fixed: 10,000 abandoned or cancelled sessions leave no port held and no descriptor leaked. */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class HandoffChurnIT {
  private static final int SESSIONS = 10_000;
  private static final int RANGE = 1000;
  @TempDir Path dir;

  @Test
  void tenThousandAbandonedSessionsLeaveNoPortsOrDescriptors() throws Exception {
    int first = Ports.freeRange(RANGE); // below the ephemeral range: no client connection can take one of its ports
    try (TestServer server = TestServer.start(dir,
        c -> c.handoff(new HandoffConfig(first, first + RANGE - 1, true, Duration.ofMillis(300), Duration.ofHours(1))))) {
      Samples.write(server.repo().resolve("big.bin"), 8 * 1024 * 1024, 3);
      // Warm up the client's connection pool and the JIT, then take the descriptor baseline.
      for (int i = 0; i < 50; i++) server.post(Scheme.HTTP, "/api/handoff", "{}");
      HandoffIT.awaitNoSessions(server, 10);
      long baseline = openDescriptors(server.port(Scheme.HTTP));

      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicInteger healthFailures = new AtomicInteger();
      ExecutorService watcher = Executors.newSingleThreadExecutor();
      Future<Integer> healthChecks = watcher.submit(() -> {
        int checks = 0;
        while (churning.get()) {
          if (server.getString(Scheme.HTTP, "/health").statusCode() != 200) healthFailures.incrementAndGet();
          checks++;
          Thread.sleep(20);
        }
        return checks;
      });

      ExecutorService clients = Executors.newFixedThreadPool(8);
      AtomicInteger opened = new AtomicInteger();
      AtomicInteger busy = new AtomicInteger();
      AtomicInteger cancelled = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        // submit, not execute: an assertion failing in a worker comes back through its Future
        workers.add(clients.submit(() -> {
          while (opened.get() < SESSIONS) {
            HttpResponse<String> r = server.post(Scheme.HTTP, "/api/handoff", "{}");
            if (r.statusCode() == 503) {
              busy.incrementAndGet();
              Thread.sleep(50);
              continue;
            }
            assertEquals(201, r.statusCode(), "only 201 (a session) or 503 (range full) may answer: " + r.body());
            int n = opened.incrementAndGet();
            if (n % 10 == 0) {
              cancelMidDownload(Json.MAPPER.readTree(r.body())); // the rest are never used
              cancelled.incrementAndGet();
            }
          }
          return null;
        }));
      }
      clients.shutdown();
      assertTrue(clients.awaitTermination(240, TimeUnit.SECONDS), "10,000 sessions did not open in time");
      for (Future<?> worker : workers) {
        try {
          worker.get();
        } catch (ExecutionException e) {
          throw new AssertionError("a client worker failed", e.getCause());
        }
      }
      HandoffIT.awaitNoSessions(server, 15);
      churning.set(false);
      int checks = healthChecks.get(10, TimeUnit.SECONDS);
      watcher.shutdown();

      long after = openDescriptors(server.port(Scheme.HTTP));
      int listening = ownListenersInRange(first, first + RANGE - 1);
      System.out.printf("hand-off churn: %d sessions (%d x 503 while the range was full), descriptors %d -> %d, "
          + "listeners left %d, %d health checks%n", opened.get(), busy.get(), baseline, after, listening, checks);
      assertTrue(opened.get() >= SESSIONS);
      assertTrue(cancelled.get() >= SESSIONS / 10, "downloads started and cancelled: " + cancelled.get());
      assertEquals(0, listening, "no port of the range is still listening");
      assertTrue(after <= baseline, "descriptors leaked: " + baseline + " -> " + after);
      assertEquals(0, healthFailures.get(), "the initial port kept answering");
      assertTrue(checks > 10);
      JsonNode list = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/handoff").body());
      assertTrue(list.get("sessions").isEmpty());
    }
  }

  /** Starts a download on the dedicated port, reads a little, and hangs up. */
  private static void cancelMidDownload(JsonNode session) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", session.get("port").asInt()), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET /firmware/big.bin HTTP/1.1\r\nHost: x\r\nX-SU-Session: " + session.get("token").asText()
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] start = in.readNBytes(32 * 1024);
      String head = new String(start, 0, Math.min(start.length, 64), StandardCharsets.ISO_8859_1);
      assertTrue(head.startsWith("HTTP/1.1 200"), "the download did not start: " + head);
      assertEquals(32 * 1024, start.length, "the server ended the download before the client cancelled it");
      socket.setSoLinger(true, 0); // an abrupt reset, like a killed client
    }
  }

  /**
   * Open descriptors of this process, not counting the keep-alive connections to and from the
   * initial port (the test's own clients pool those, more of them when more threads post).
   */
  private static long openDescriptors(int initialPort) throws IOException {
    Set<String> pooled = new HashSet<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path file = Path.of(table);
      if (!Files.exists(file)) continue;
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || f[0].equals("sl")) continue;
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (local == initialPort || remote == initialPort) pooled.add("socket:[" + f[9] + "]");
      }
    }
    long count = 0;
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (!pooled.contains(Files.readSymbolicLink(fd).toString())) count++;
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return count;
  }

  /**
   * LISTEN sockets in the range that belong to this process (the in-process server): the kernel's
   * table (state 0A) is the whole network namespace's, so a socket counts only if its inode is one
   * of /proc/self/fd's. Another process listening in the range cannot fail the test.
   */
  private static int ownListenersInRange(int firstPort, int lastPort) throws IOException {
    Set<String> own = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          own.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    int count = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path file = Path.of(table);
      if (!Files.exists(file)) continue;
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals("0A")) continue;
        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        if (port >= firstPort && port <= lastPort && own.contains("socket:[" + f[9] + "]")) count++;
      }
    }
    return count;
  }
}
