package io.smartupdate.cli;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server that deploy and analyze talk to: the one running on this machine's {@code --port}
 * (or at {@code --server}), else one they start here on {@code --repo}, as a running server would be.
 */
final class ServerSource {
  private ServerSource() {}

  /** The running server: this machine's HTTP port, then {@code server} if given; null when none answers. */
  static ServerApi running(int port, URI server, Path dataDir) {
    String token = readToken(dataDir);
    List<URI> candidates = new ArrayList<>();
    candidates.add(URI.create("http://127.0.0.1:" + port + "/"));
    if (server != null) candidates.add(server.resolve("/"));
    for (URI candidate : candidates) {
      ServerApi api = new ServerApi(candidate, token, server, null);
      try {
        api.health();
        return api;
      } catch (IOException | RuntimeException e) {
        // not this one
      }
    }
    return null;
  }

  /** Starts a server here with the command's ports, repository, certificates and data directory. */
  static SmartUpdateServer start(PortOptions ports, Path home, Path dataDir, Path logDir, Path repo, Path certs) {
    ServerConfig config = ServerConfig.builder()
        .httpPort(ports.checked("/port", ports.port, true))
        .httpsPort(ports.checked("/ssl_port", ports.sslPort, true))
        .repo(ServeCommand.absolute(repo, ServeCommand.installed("repo", home.resolve("firmware-samples"))))
        .certsDir(ServeCommand.absolute(certs, ServeCommand.installed("certs", home.resolve("certs"))))
        .dataDir(dataDir)
        .logDir(logDir)
        .handoff(ports.handoff(HandoffConfig.DEFAULT))
        .ftp(ports.ftp(true))
        .build();
    return SmartUpdateServer.start(config);
  }

  /** The API of a server started here, with its write token. */
  static ServerApi api(SmartUpdateServer started, Path dataDir) {
    return new ServerApi(URI.create("http://127.0.0.1:" + started.httpPort() + "/"), TokenFile.loadOrCreate(dataDir), null, null);
  }

  private static String readToken(Path dataDir) {
    try {
      return Files.readString(dataDir.resolve(TokenFile.NAME), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null; // a server with --insecure-writes, or one that will create it
    }
  }
}
