package io.smartupdate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.LaunchedServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  @TempDir Path dir;
  private LaunchedServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (Socket s : sockets) s.close();
    if (server != null) server.close();
  }

  @Test
  void announcedBodiesThatNeverArriveCannotExhaustMemory() throws Exception {
    ProcessBuilder launch = LaunchedServer.command(dir, "/max_client_connections", "5000");
    Map<String, String> env = launch.environment();
    // Small enough that 3,000 buffers of 64 KiB (192 MiB) could never fit.
    env.put("SMARTUPDATE_JAVA_OPTS", "-Xms32m -Xmx64m -XX:MaxDirectMemorySize=32m -XX:+UseSerialGC -Xss512k");
    server = LaunchedServer.start(launch, dir, LaunchedServer.READY_TIMEOUT);
    int port = server.httpPort();
    String token = server.token();

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
    assertTrue(server.process().isAlive(), "the server is still running (an OutOfMemoryError would have ended it)");
    System.out.println("memory exhaustion: " + ATTACKERS + " hanging bodies opened in " + opened + " ms on a 64 MiB heap; "
        + "health 200, a real post 201, all " + cut + " cut at the body deadline");
  }

  private static String nonce(int i) {
    return HexFormat.of().formatHex(("n" + i + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
  }
}
