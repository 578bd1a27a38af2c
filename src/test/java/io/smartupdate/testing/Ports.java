package io.smartupdate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers for tests that need a range: found free at run time, never fixed. */
public final class Ports {
  private Ports() {}

  /** First port of {@code size} consecutive ports that are all free right now. */
  public static int freeRange(int size) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 60_000 - size);
      boolean free = true;
      for (int port = first; port < first + size && free; port++) free = bindable(port);
      if (free) return first;
    }
    throw new IllegalStateException("no free block of " + size + " ports found");
  }

  public static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
