package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import io.smartupdate.testing.SlowReader;
import io.smartupdate.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A download never completes with bytes of two versions of a file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsistentDownloadIT {
  private static final int SIZE = 32 * 1024 * 1024;
  @TempDir Path dir;

  @Test
  void renameOverADownloadKeepsServingTheOldVersionToTheEnd() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      byte[] old = Samples.write(server.repo().resolve("rom.bin"), SIZE, 1);
      try (Socket socket = slowDownload(server, TestServer.Scheme.HTTP, "rom.bin"); InputStream in = socket.getInputStream()) {
        byte[] start = in.readNBytes(1024 * 1024);
        Path staged = Samples.writePath(server.repo().resolve(".rom.bin.new"), SIZE, 2);
        Files.move(staged, server.repo().resolve("rom.bin"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        byte[] response = concat(start, in.readAllBytes());
        assertArrayEquals(old, body(response), "the whole old version, nothing of the new");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Scheme.class)
  void rewriteInPlaceDuringADownloadCutsItShort(TestServer.Scheme scheme) throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("rom.bin"), SIZE, 1);
      try (Socket socket = slowDownload(server, scheme, "rom.bin"); InputStream in = socket.getInputStream()) {
        byte[] start = in.readNBytes(1024 * 1024);
        try (RandomAccessFile file = new RandomAccessFile(server.repo().resolve("rom.bin").toFile(), "rw")) {
          file.seek(SIZE - 4096);
          file.write(new byte[4096]); // same inode, same size, new bytes
        }
        byte[] response = concat(start, readUntilClosed(in));
        assertTrue(body(response).length < SIZE, "the client must see an incomplete transfer, got " + body(response).length);
      }
      // The server's record of downloads says why (README "Downloads, metrics, access log").
      String listed = "";
      for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
        listed = server.getString(scheme, "/api/downloads?active=false").body();
        if (listed.contains("cut_by_rewrite")) break;
      }
      assertTrue(listed.contains("\"result\":\"cut_by_rewrite\""), listed);
    }
  }

  private static Socket slowDownload(TestServer server, TestServer.Scheme scheme, String name) throws IOException {
    // most of the body stays on the server until we read it
    return SlowReader.get(server.port(scheme), 8192, 10_000, scheme == TestServer.Scheme.HTTPS ? server.sslContext() : null,
        "/firmware/" + name, "Connection: close");
  }

  /**
   * Reads until the server ends the connection (EOF or reset). A read timeout is not an end: a
   * server that stalls the transfer instead of cutting it must fail the test, not pass as "cut short".
   */
  static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server stalled the connection after " + out.size() + " bytes instead of closing it", e);
    } catch (IOException e) {
      // a reset (plain or inside TLS) is one way of being cut short
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] body(byte[] response) {
    String head = new String(response, 0, Math.min(response.length, 4096), StandardCharsets.ISO_8859_1);
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    int start = head.indexOf("\r\n\r\n") + 4;
    return Arrays.copyOfRange(response, start, response.length);
  }
}
