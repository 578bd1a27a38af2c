package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "201 only after the database synced it", proven where SIGKILL cannot: SIGKILL keeps the page
 * cache, so {@code synchronous=OFF} or NORMAL would pass {@link CrashDurabilityIT} too.
 *
 * <p>The server runs under {@code strace -f -P data/status.db-wal}, which injects a 250 ms delay at
 * the exit of every fsync/fdatasync of the WAL file, and of nothing else. Each of a series of
 * sequential posts must then (a) take at least that long, so its 201 waited for a WAL sync, and
 * (b) contain the entry of a WAL sync in its own request window, so there is one sync per commit.
 * A server that skipped the sync, synced another file, or answered first and synced later answers
 * in milliseconds and fails. What this does not cover: whether the disk honours the sync (power
 * loss needs a VM or a pulled plug; see the README).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FsyncBeforeAckIT {
  private static final long DELAY_MICROS = 250_000;
  private static final int POSTS = 8;
  // A whole line, or the first half of one that another traced thread interrupted ("<unfinished ...>"):
  // either way the start of a sync of that file, at that time. strace pads a pid shorter than five
  // digits with spaces, so a run with small pids has two.
  private static final Pattern SYNC = Pattern.compile(
      "^\\d+\\s+(\\d+\\.\\d+) (?:fsync|fdatasync)\\(\\d+<([^>]+)>(?:\\) = 0 \\(DELAYED\\).*| <unfinished \\.\\.\\.>)$");
  @TempDir Path dir;

  @Test
  void everyAcknowledgedPostWaitedForAnFsyncOfTheWal() throws Exception {
    Path base = dir.toRealPath(); // strace prints resolved paths
    Path wal = base.resolve("data/status.db-wal");
    Path log = base.resolve("strace.log");
    Process server = launchUnderStrace(base, DELAY_MICROS);
    List<long[]> windows = new ArrayList<>(); // {sent, answered} in epoch microseconds
    try {
      URI status = URI.create("http://127.0.0.1:" + awaitPort(server, base) + "/api/status");
      String token = Files.readString(base.resolve("data/token")).trim();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < POSTS; i++) {
        HttpRequest post = HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"fsync-1\",\"phase\":\"flashing\",\"progress\":" + i + "}")).build();
        long sent = micros();
        HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
        long answered = micros();
        assertEquals(201, r.statusCode(), r.body());
        windows.add(new long[] {sent, answered});
      }
    } finally {
      stop(server);
    }
    List<Double> walSyncs = walSyncs(log, wal);
    assertTrue(walSyncs.size() >= POSTS, () -> "at least one WAL sync per commit, saw " + walSyncs.size() + " for " + POSTS
        + " posts; the trace begins: " + head(log));
    for (long[] window : windows) {
      long took = window[1] - window[0];
      assertTrue(took >= DELAY_MICROS, "a 201 came after " + took / 1000 + " ms, before the delayed WAL sync could have returned");
      long syncsInside = walSyncs.stream().mapToLong(t -> (long) (t * 1_000_000)).filter(t -> t >= window[0] && t <= window[1]).count();
      assertTrue(syncsInside >= 1, "no WAL sync began while this post was in flight");
    }
  }

  // Group commit (README: "Concurrent posts share one transaction and one fsync"): while one
  // delayed fsync runs, the posts that arrive queue up and the next transaction takes them all.
  @Test
  void concurrentPostsShareOneFsyncPerCommit() throws Exception {
    Path base = dir.toRealPath();
    Process server = launchUnderStrace(base, 20_000);
    int clients = 32;
    int perClient = 10;
    try {
      URI status = URI.create("http://127.0.0.1:" + awaitPort(server, base) + "/api/status");
      String token = Files.readString(base.resolve("data/token")).trim();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        String node = "batch-" + c;
        results.add(pool.submit(() -> {
          int created = 0;
          for (int i = 0; i < perClient; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\",\"phase\":\"info\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            created++;
          }
          return created;
        }));
      }
      int created = 0;
      for (Future<Integer> result : results) created += result.get(120, TimeUnit.SECONDS);
      pool.shutdown();
      assertEquals(clients * perClient, created);
    } finally {
      stop(server);
    }
    int syncs = walSyncs(base.resolve("strace.log"), base.resolve("data/status.db-wal")).size();
    System.out.printf("group commit: %d posts, %d WAL syncs%n", clients * perClient, syncs);
    assertTrue(syncs > 0, "the WAL was synced at all");
    assertTrue(syncs * 4 <= clients * perClient, "batched: " + syncs + " WAL syncs for " + clients * perClient + " posts");
  }

  /** bin/smartupdate under strace, every fsync/fdatasync of data/status.db-wal delayed by {@code delayMicros} at its exit. */
  private static Process launchUnderStrace(Path base, long delayMicros) throws IOException {
    Path strace = Tools.require("strace");
    Path wal = base.resolve("data/status.db-wal");
    ProcessBuilder traced = new ProcessBuilder(strace.toString(), "-f", "-qq", "-y", "-ttt", "--seccomp-bpf", "-e", "signal=none",
        "-P", wal.toString(), "-e", "trace=fsync,fdatasync", "-e", "inject=fsync,fdatasync:delay_exit=" + delayMicros,
        "-o", base.resolve("strace.log").toString(),
        LaunchedServer.LAUNCHER.toString(), "/port", "0", "/ssl_port", "0", "/bind", "127.0.0.1",
        "/data", base.resolve("data").toString(), "/certs", base.resolve("certs").toString(),
        "/repo", Files.createDirectories(base.resolve("repo")).toString(), "/s")
        .redirectError(ProcessBuilder.Redirect.appendTo(base.resolve("stderr.log").toFile()));
    return LaunchedServer.withoutClassDataArchive(traced).start();
  }

  private static int awaitPort(Process server, Path base) throws InterruptedException {
    return LaunchedServer.awaitReady(server, Duration.ofSeconds(90), () -> "stderr: " + stderr(base)).http();
  }

  /** SIGTERM to the server, not to strace (which would detach and leave it running); strace then exits with its tracee, its log flushed. */
  private static void stop(Process server) throws InterruptedException {
    server.descendants().forEach(ProcessHandle::destroy);
    if (!server.waitFor(20, TimeUnit.SECONDS)) {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly().waitFor();
    }
  }

  /** Entry times (epoch seconds) of the completed, delayed syncs of {@code wal} in the strace log. */
  private static String head(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.size() + " lines: " + String.join(" | ", lines.subList(0, Math.min(12, lines.size())));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static List<Double> walSyncs(Path log, Path wal) throws IOException {
    List<Double> syncs = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher sync = SYNC.matcher(line);
      if (sync.matches() && Path.of(sync.group(2)).equals(wal)) syncs.add(Double.parseDouble(sync.group(1)));
    }
    return syncs;
  }

  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static String stderr(Path base) {
    try {
      return Files.readString(base.resolve("stderr.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
