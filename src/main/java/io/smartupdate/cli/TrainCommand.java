package io.smartupdate.cli;

import io.smartupdate.auth.TokenFile;
import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.StartupException;
import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import io.smartupdate.tls.CertificateStore;
import io.smartupdate.tls.PemTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smartupdate train}: the start-up cache's training run, which the launchers run (in the
 * background, the first time a server starts without a cache; or postinst): a server on loopback
 * ports with temporary state, a few thousand requests of each kind it serves, then a clean stop. The
 * JDK records what it loaded and ran into the class-data archive or ahead-of-time cache.
 */
@Command(name = "train", hidden = true, description = "the start-up cache's training run (the launcher runs it)")
final class TrainCommand implements CliCommand {
  private static final int ROUNDS = 2000;
  private static final String STATUS = "/api/status";
  private static final byte[] EVENT = "{\"node\":\"ilo-10.0.0.42\",\"phase\":\"downloading\",\"progress\":50,\"component\":\"small.bin\"}"
      .getBytes(StandardCharsets.UTF_8);

  @Option(names = "--certificate-into", hidden = true, paramLabel = "DIR",
      description = "only generate the training server's certificate into DIR (the training run's helper JVM)")
  Path certificateInto;

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    if (certificateInto != null) {
      CertificateStore.loadOrGenerate(certificateInto, Clock.systemUTC());
      return 0;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("smartupdate-train");
      generateCertificateApart(dir.resolve("certs"));
      Path repo = Files.createDirectories(dir.resolve("repo"));
      Files.write(repo.resolve("small.bin"), new byte[4096]);
      ServeCommand serve = new ServeCommand();
      Main.commandLine(serve, false).parseArgs("/port", "0", "/ssl_port", "0", "/bind", "127.0.0.1", "/s", "/repo", repo.toString(),
          "/data", dir.resolve("data").toString(), "/certs", dir.resolve("certs").toString(),
          "/logdir", dir.resolve("logs").toString()); // every path named: an installed layout's defaults are the real server's
      ServerConfig config = serve.toConfig(new InstallLayout(dir));
      Logging.configure(serve.logDir(config), true);
      try (SmartUpdateServer server = SmartUpdateServer.start(config)) {
        exercise(server, Files.readString(config.dataDir().resolve(TokenFile.NAME)).trim(), config.certsDir().resolve("server.crt"));
      }
      return 0;
    } catch (IOException | GeneralSecurityException | StartupException e) {
      err.println("smartupdate train: " + e.getMessage());
      return ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILURE;
    } finally {
      Logging.stop();
      if (dir != null) delete(dir);
    }
  }

  /**
   * Generates the server's certificate in a JVM of its own. Generating needs Bouncy Castle, whose signed
   * jars cannot be in the start-up cache: a class of ours that was loaded next to them in the training
   * run would be cached with checks that load and verify those jars at every start (BENCHMARKS.md, issue
   * 22 start). A server whose certificate exists reads it with the JDK alone, as the training server now does.
   */
  private static void generateCertificateApart(Path certs) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "train", "--certificate-into", certs.toString()).redirectErrorStream(true);
    // Options meant for the training JVM (its cache output among them) are not the helper's.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    Process helper = builder.start();
    String output = new String(helper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (helper.waitFor() != 0) {
      throw new IOException("the helper JVM could not generate the training certificate in " + certs + ": " + output.strip());
    }
  }

  /**
   * The requests a fleet sends most, each a few thousand times, so that the JDK 25 cache holds their
   * methods' profiles (JEP 515) and a new server compiles its hot paths in its first seconds: small,
   * HEAD and ranged downloads over HTTP and HTTPS, the catalog, health, metrics, status posts with the
   * bearer token and HMAC-signed, and the event stream.
   */
  private static void exercise(SmartUpdateServer server, String token, Path certificate)
      throws IOException, InterruptedException, GeneralSecurityException {
    HttpClient http = HttpClient.newHttpClient();
    HttpClient https = HttpClient.newBuilder().sslContext(PemTrust.context(certificate)).build();
    URI base = URI.create("http://127.0.0.1:" + server.httpPort());
    URI secure = URI.create("https://127.0.0.1:" + server.httpsPort());
    List<HttpRequest> plain = List.of(
        HttpRequest.newBuilder(base.resolve("/firmware/small.bin")).build(),
        HttpRequest.newBuilder(base.resolve("/firmware/small.bin")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpRequest.newBuilder(base.resolve("/firmware/small.bin")).header("Range", "bytes=0-99").build(),
        HttpRequest.newBuilder(base.resolve("/api/catalog")).build(),
        HttpRequest.newBuilder(base.resolve("/health")).build(),
        HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        post(base, "Authorization", "Bearer " + token).build());
    HttpRequest secureGet = HttpRequest.newBuilder(secure.resolve("/firmware/small.bin")).build();
    HttpRequest secureRange = HttpRequest.newBuilder(secure.resolve("/firmware/small.bin")).header("Range", "bytes=100-199").build();
    for (int round = 0; round < ROUNDS; round++) {
      for (HttpRequest request : plain) send(http, request);
      send(http, signedPost(base, token));
      send(https, secureGet);
      send(https, secureRange);
      if (round % 100 == 0) events(http, base);
    }
  }

  private static HttpRequest.Builder post(URI base, String header, String value) {
    return HttpRequest.newBuilder(base.resolve(STATUS)).header("Content-Type", "application/json").header(header, value)
        .POST(HttpRequest.BodyPublishers.ofByteArray(EVENT));
  }

  /** A status post signed as WriteAuth checks it, with a fresh nonce. */
  private static HttpRequest signedPost(URI base, String token) {
    String date = Long.toString(System.currentTimeMillis() / 1000);
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    String nonce = HexFormat.of().formatHex(random);
    byte[] signature = WriteAuth.sign(token.getBytes(StandardCharsets.UTF_8), "POST", STATUS, date, nonce, EVENT);
    return post(base, "X-SU-Date", date).header("X-SU-Nonce", nonce)
        .header("X-SU-Signature", "hmac-sha256=" + HexFormat.of().formatHex(signature)).build();
  }

  private static void send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() >= 400) throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode());
  }

  /** Opens the event stream from the first event (the posts above stored some), reads its first lines and closes it. */
  private static void events(HttpClient client, URI base) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/events?after=0")).header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(30)).build();
    try (Stream<String> lines = client.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
      lines.limit(2).forEach(line -> { });
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it
    }
  }
}
