package io.smartupdate.server;

import io.smartupdate.core.StartupException;
import io.smartupdate.firewall.FirewallMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link ServerLifecycleIT} as an unprivileged user (no CAP_NET_ADMIN, so opening the
 * firewall fails after HTTP and HTTPS have bound): starts the server in this JVM, and on the
 * start-up error checks, while the JVM is still alive, that both ports were released. Needs only
 * main code and the JDK, so it runs from target/classes and target/lib.
 *
 * <p>Arguments: DIR HTTP_PORT HTTPS_PORT. Prints {@code refused: MESSAGE} and {@code released} or
 * {@code held PORT}; {@code started} if the firewall opened after all.
 */
public final class FirewallFailureMain {
  private FirewallFailureMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir.resolve("repo"));
    int http = Integer.parseInt(args[1]);
    int https = Integer.parseInt(args[2]);
    ServerConfig config = ServerConfig.ephemeral(dir.resolve("repo"), dir.resolve("certs"), dir.resolve("data")).toBuilder()
        .bindAddress("127.0.0.1").httpPort(http).httpsPort(https).strictPorts(true).firewall(FirewallMode.OPEN).build();
    try (SmartUpdateServer server = SmartUpdateServer.start(config)) {
      System.out.println("started http=" + server.httpPort());
      return;
    } catch (StartupException e) {
      System.out.println("refused: " + e.getMessage());
    }
    for (int port : new int[] {http, https}) {
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      } catch (IOException e) {
        System.out.println("held " + port);
        return;
      }
    }
    System.out.println("released");
  }
}
