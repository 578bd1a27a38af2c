package io.smartupdate.firewall;

import io.smartupdate.core.StartupException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs inside a test network namespace ({@code ip netns exec NS java -cp ... NamespaceMain ...}):
 * <ul>
 *   <li>{@code listen ADDR PORT...}: a tiny HTTP server on each port until stdin closes;</li>
 *   <li>{@code open INSTANCE PORTS...} ({@code 63001:HTTP 63010-63099:hand-off}): {@link HostFirewall#open}
 *   through its public API, as the server calls it, until stdin closes (or a kill -9).</li>
 * </ul>
 */
public final class NamespaceMain {
  private NamespaceMain() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "listen" -> listen(InetAddress.getByName(args[1]), List.of(args).subList(2, args.length));
      case "open" -> open(args[1], List.of(args).subList(2, args.length));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void listen(InetAddress address, List<String> ports) throws IOException {
    for (String port : ports) {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(address, Integer.parseInt(port)));
      Thread thread = new Thread(() -> serve(server), "listen-" + port);
      thread.setDaemon(true);
      thread.start();
    }
    System.out.println("listening");
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
  }

  private static void serve(ServerSocket server) {
    while (true) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(2000);
        byte[] request = new byte[4096];
        socket.getInputStream().read(request);
        socket.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // a client that went away: next one
      }
    }
  }

  private static void open(String instance, List<String> specs) throws IOException {
    List<PortSpec> ports = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      ports.add(PortSpec.range(spec.substring(0, colon), spec.substring(colon + 1)));
    }
    try (HostFirewall firewall = HostFirewall.open(ports, FirewallMode.OPEN, instance, System.out::println)) {
      System.out.println("opened " + firewall.tag());
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    } catch (StartupException e) {
      System.out.println("failed: " + e.getMessage());
      System.exit(2);
    }
    System.out.println("closed");
  }
}
