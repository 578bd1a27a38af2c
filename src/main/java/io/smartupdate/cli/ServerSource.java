package io.smartupdate.cli;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server that deploy and analyze talk to: the one running on this machine's {@code --port}
 * (or at deploy's {@code --public-url}), else one they start here on {@code --repo}, as a running server would be.
 */
final class ServerSource {
  private ServerSource() {}

  /** The running server: this machine's HTTP port, then {@code publicUrl} if given; null when none answers. */
  static ServerApi running(int port, URI publicUrl, Path dataDir) {
    String token = TokenFile.find(dataDir);
    List<URI> candidates = new ArrayList<>();
    candidates.add(URI.create("http://127.0.0.1:" + port + "/"));
    if (publicUrl != null) candidates.add(publicUrl.resolve("/"));
    for (URI candidate : candidates) {
      ServerApi api = new ServerApi(candidate, token, publicUrl, null);
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
  static SmartUpdateServer start(PortOptions ports, PathOptions.Paths dirs) {
    ServerConfig config = ServerConfig.builder()
        .httpPort(ports.checked("/port", ports.port, true))
        .httpsPort(ports.checked("/ssl_port", ports.sslPort, true))
        .repo(dirs.repo())
        .certsDir(dirs.certs())
        .dataDir(dirs.data())
        .logDir(dirs.logDir())
        .handoff(ports.handoff(HandoffConfig.DEFAULT))
        .ftp(ports.ftp(true))
        .build();
    return SmartUpdateServer.start(config);
  }

  /** The API of a server started here, with its write token. */
  static ServerApi api(SmartUpdateServer started, Path dataDir) {
    return new ServerApi(URI.create("http://127.0.0.1:" + started.httpPort() + "/"), TokenFile.loadOrCreate(dataDir), null, null);
  }
}
