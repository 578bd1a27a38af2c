package io.smartupdate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers for tests that need a range: found free at run time, never fixed. */
public final class Ports {
  private Ports() {}

  /** Lowest port a free range may start at: above the well-known services a test machine may run. */
  private static final int LOWEST = 10_000;

  /**
   * First port of {@code size} consecutive ports that are all free right now, below the kernel's
   * ephemeral range (ip_local_port_range): there no outgoing connection of any process can take
   * one of them between the check and the test's bind.
   */
  public static int freeRange(int size) {
    int below = ephemeralStart();
    if (below - size <= LOWEST) throw new IllegalStateException("no room for " + size + " ports between " + LOWEST + " and the ephemeral range at " + below);
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(LOWEST, below - size);
      boolean free = true;
      for (int port = first; port < first + size && free; port++) free = bindable(port);
      if (free) return first;
    }
    throw new IllegalStateException("no free block of " + size + " ports found");
  }

  /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
  public static int ephemeralStart() {
    try (BufferedReader range = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      return Integer.parseInt(range.readLine().trim().split("\\s+")[0]); // Files.readString misreads /proc's zero size
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
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
