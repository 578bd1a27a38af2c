package io.smartupdate.testing;

import io.smartupdate.core.PortRange;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** A real server on port 0 over temporary directories, with clients that trust its certificate. */
public final class TestServer implements AutoCloseable {
  public enum Scheme { HTTP, HTTPS }

  /** Hand-off ports of a test server unless the test sets its own: enough for every deploy test's parallel sessions. */
  public static final int HANDOFF_PORTS = 32;

  private final SmartUpdateServer server;
  private final Path repo;
  private final Path dir;
  private final HttpClient client;
  private final SSLContext trust;

  private TestServer(SmartUpdateServer server, Path repo, Path dir) {
    this.server = server;
    this.repo = repo;
    this.dir = dir;
    this.trust = TestTls.trusting(server.tls().leaf());
    this.client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts a server over {@code dir}/repo, {@code dir}/certs and {@code dir}/data, its hand-off ports a free range. */
  public static TestServer start(Path dir) throws IOException {
    return start(dir, c -> {});
  }

  /** As {@link #start(Path)}, with settings changed by {@code customize} first. */
  public static TestServer start(Path dir, Consumer<ServerConfig.Builder> customize) throws IOException {
    return start(dir, Clock.systemUTC(), customize);
  }

  /** As {@link #start(Path, Consumer)}, on {@code clock} (a {@link TestClock} lets a test age what the server recorded). */
  public static TestServer start(Path dir, Clock clock, Consumer<ServerConfig.Builder> customize) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    // Never the default hand-off range 63010-63099: other test runs on this machine use it too.
    int handoff = Ports.freeRange(HANDOFF_PORTS);
    ServerConfig.Builder config = ServerConfig.ephemeral(repo, dir.resolve("certs"), dir.resolve("data")).toBuilder()
        .bindAddress("127.0.0.1").handoff(HandoffConfig.DEFAULT.withPorts(new PortRange(handoff, handoff + HANDOFF_PORTS - 1)));
    customize.accept(config);
    return new TestServer(SmartUpdateServer.start(config.build(), clock), repo, dir);
  }

  public SmartUpdateServer server() {
    return server;
  }

  public Path repo() {
    return repo;
  }

  public Path dir() {
    return dir;
  }

  public SSLContext sslContext() {
    return trust;
  }

  public HttpClient client() {
    return client;
  }

  public int port(Scheme scheme) {
    return scheme == Scheme.HTTP ? server.httpPort() : server.httpsPort();
  }

  public URI uri(Scheme scheme, String pathAndQuery) {
    return URI.create((scheme == Scheme.HTTP ? "http" : "https") + "://127.0.0.1:" + port(scheme) + pathAndQuery);
  }

  public HttpResponse<byte[]> get(Scheme scheme, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(scheme, path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> getString(Scheme scheme, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(scheme, path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<Void> head(Scheme scheme, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(scheme, path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding());
  }

  /** The write token the server generated in its data directory. */
  public String token() throws IOException {
    return Files.readString(dir.resolve("data/token")).trim();
  }

  /** POSTs JSON with the bearer token. */
  public HttpResponse<String> post(Scheme scheme, String path, String json) throws IOException, InterruptedException {
    return send("POST", scheme, path, json);
  }

  /** PUTs JSON with the bearer token. */
  public HttpResponse<String> put(Scheme scheme, String path, String json) throws IOException, InterruptedException {
    return send("PUT", scheme, path, json);
  }

  private HttpResponse<String> send(String method, Scheme scheme, String path, String json) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(scheme, path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
  }
}
