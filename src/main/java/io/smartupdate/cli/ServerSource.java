package io.smartupdate.cli;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.core.StartupException;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.redfish.ServerApi;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server that deploy and analyze talk to: the one running on this machine's {@code --port}
 * (or at deploy's {@code --public-url}), else one they start here on {@code --repo}, as a running server would be.
 */
final class ServerSource {
  private ServerSource() {}

  /**
   * The server a command uses: the running one, or one started here that stops with the command,
   * and on Ctrl-C too (listeners closed, store flushed; close() runs once).
   */
  static final class Connection implements AutoCloseable {
    final ServerApi api;
    private final SmartUpdateServer started;
    private final Thread stopOnExit;

    private Connection(ServerApi api, SmartUpdateServer started, String command) {
      this.api = api;
      this.started = started;
      this.stopOnExit = started == null ? null : new Thread(started::close, command + "-server-shutdown");
      if (stopOnExit != null) Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    @Override
    public void close() {
      if (started == null) return;
      started.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  /**
   * The running server ({@link #running}), else one started here on {@code dirs}; {@code started}
   * hears its ready line. Throws StartupException when {@code publicUrl} was given and nothing answers there.
   */
  static Connection connect(PortOptions ports, URI publicUrl, PathOptions.Paths dirs, String command, Consumer<String> started) {
    ServerApi api = running(ports.port, publicUrl, dirs.data());
    if (api != null) return new Connection(api, null, command);
    if (publicUrl != null) {
      throw new StartupException("no smartupdate server answers at " + publicUrl + " or on port " + ports.port + " of this machine");
    }
    SmartUpdateServer server = start(ports, dirs);
    Connection connection = new Connection(api(server, dirs.data()), server, command);
    started.accept(server.readyLine());
    return connection;
  }

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
