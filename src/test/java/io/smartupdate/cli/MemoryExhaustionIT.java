package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack that took the server down: thousands of connections that each announce a 64 KiB
 * status body (with signature headers that pass every check but the signature's) and send one
 * byte. On a 64 MiB heap that was an OutOfMemoryError within seconds and a zombie process; now
 * the server keeps serving, cuts the bodies at their deadline, and stores what real clients post.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryExhaustionIT {
  private static final int ATTACKERS = 3_000;
  private static final Pattern READY = Pattern.compile("smartupdate ready http=(\\d+) .*");
  @TempDir Path dir;
  private Process server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (Socket s : sockets) s.close();
    if (server != null) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void announcedBodiesThatNeverArriveCannotExhaustMemory() throws Exception {
    ProcessBuilder launch = new ProcessBuilder(Path.of("bin/smartupdate").toAbsolutePath().toString(), "/port", "0", "/ssl_port", "0",
        "/bind", "127.0.0.1", "/data", dir.resolve("data").toString(), "/certs", dir.resolve("certs").toString(),
        "/repo", Files.createDirectories(dir.resolve("repo")).toString(), "/max_client_connections", "5000", "/s")
        .redirectError(dir.resolve("stderr.log").toFile());
    Map<String, String> env = launch.environment();
    // Small enough that 3,000 buffers of 64 KiB (192 MiB) could never fit.
    env.put("SMARTUPDATE_JAVA_OPTS", "-Xms32m -Xmx64m -XX:MaxDirectMemorySize=32m -XX:+UseSerialGC -Xss512k");
    server = launch.start();
    String line = io.smartupdate.testing.ProcessLines.nextLine(server, java.time.Duration.ofSeconds(60));
    Matcher ready = READY.matcher(String.valueOf(line));
    assertTrue(ready.matches(), "no ready line: " + line);
    int port = Integer.parseInt(ready.group(1));
    String token = Files.readString(dir.resolve("data/token")).trim();

    long start = System.nanoTime();
    for (int i = 0; i < ATTACKERS; i++) {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.getOutputStream().write(("POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 65536\r\nX-SU-Date: " + System.currentTimeMillis() / 1000 + "\r\nX-SU-Nonce: " + nonce(i)
          + "\r\nX-SU-Signature: hmac-sha256=" + "ab".repeat(32) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      sockets.add(socket);
    }
    long opened = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), "the server answers while " + ATTACKERS + " bodies hang");
    HttpResponse<String> stored = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"real-bmc\",\"phase\":\"info\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, stored.statusCode(), stored.body());

    // Every hanging body is cut by the server at its deadline (10 s after its head), not kept.
    int cut = 0;
    for (Socket socket : sockets) {
      socket.setSoTimeout(30_000);
      try {
        while (socket.getInputStream().read() >= 0) {
          // whatever comes before the close
        }
        cut++;
      } catch (SocketException reset) {
        cut++;
      } catch (SocketTimeoutException stillOpen) {
        break;
      }
    }
    assertEquals(ATTACKERS, cut, "every announced-but-unsent body was cut by the server");
    assertTrue(server.isAlive(), "the server is still running (an OutOfMemoryError would have ended it)");
    System.out.println("memory exhaustion: " + ATTACKERS + " hanging bodies opened in " + opened + " ms on a 64 MiB heap; "
        + "health 200, a real post 201, all " + cut + " cut at the body deadline");
  }

  private static String nonce(int i) {
    return HexFormat.of().formatHex(("n" + i + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
  }
}
