package io.smartupdate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smartupdate.tls.PemTrust;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smartupdate status}: a running server's nodes and downloads in flight, as a table or
 * JSON, once or following {@code /api/events}. Exit 0, 1 when the server answers with an error,
 * 2 when it cannot be reached.
 *
 * <pre>
 * smartupdate status
 * smartupdate status --server https://fw.lab:63002 --cacert certs/server.crt --watch
 * </pre>
 */
@Command(name = "status", sortOptions = false, usageHelpAutoWidth = true,
    description = "Show a running server's nodes and the downloads in flight.")
final class StatusCommand implements CliCommand {
  static final String DEFAULT_SERVER = "http://127.0.0.1:63001";
  /** Redraws at most this often, however many events arrive. */
  private static final long REDRAW_MILLIS = 250;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"/server", "--server"}, paramLabel = "URL", description = "the server (default: " + DEFAULT_SERVER + ")")
  String server = DEFAULT_SERVER;

  @Option(names = {"/watch", "--watch"}, description = "follow the server's live events and redraw in place (Ctrl-C stops)")
  boolean watch;

  @Option(names = {"/json", "--json"}, description = "print the JSON of /api/nodes and /api/downloads?active=true")
  boolean json;

  @Option(names = {"/cacert", "--cacert"}, paramLabel = "FILE", description = "trust this PEM certificate for an https:// server")
  Path cacert;

  @Option(names = {"/?", "/help", "-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  /** The server could not be reached: one line, exit 2. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public int run(CommandLine self, PrintStream out, PrintStream err) {
    String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    try {
      HttpClient client = client();
      if (!watch) {
        out.print(render(client, base));
        out.flush();
        return 0;
      }
      // A stream the server ends (it is stopping, or it restarted) is followed again; a server that
      // can no longer be reached ends the watch with exit 2, like any unreachable server.
      while (true) {
        follow(client, base, out);
        Thread.sleep(250);
      }
    } catch (Unreachable e) {
      err.println("smartupdate: " + e.getMessage());
      return ExitCodes.CONFIG;
    } catch (ServerError e) {
      err.println("smartupdate: " + e.getMessage());
      return ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private HttpClient client() throws Unreachable {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (cacert != null) builder.sslContext(trusting(cacert));
    return builder.build();
  }

  private static SSLContext trusting(Path pem) throws Unreachable {
    try {
      return PemTrust.context(pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new Unreachable("cannot use --cacert " + pem + ": " + e.getMessage());
    }
  }

  /** The screen (or JSON) for the current state. */
  private String render(HttpClient client, String base) throws Unreachable, ServerError, InterruptedException {
    JsonNode nodes = get(client, base + "/api/nodes");
    JsonNode downloads = get(client, base + "/api/downloads?active=true");
    if (json) {
      ObjectNode both = JSON.createObjectNode();
      both.set("nodes", nodes);
      both.set("downloads", downloads);
      return both.toPrettyString() + System.lineSeparator();
    }
    return StatusTable.render(nodes, downloads);
  }

  private JsonNode get(HttpClient client, String url) throws Unreachable, ServerError, InterruptedException {
    HttpResponse<String> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + server + ": " + reason(e));
    }
    if (response.statusCode() != 200) {
      throw new ServerError(url + " answered " + response.statusCode() + ": " + response.body().lines().findFirst().orElse(""));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ServerError(url + " did not answer JSON: is it a smartupdate server?");
    }
  }

  /** Redraws on every live event, at most every {@value #REDRAW_MILLIS} ms; returns when the server ends the stream cleanly. */
  private void follow(HttpClient client, String base, PrintStream out) throws Unreachable, ServerError, InterruptedException {
    HttpResponse<InputStream> stream;
    try {
      stream = client.send(HttpRequest.newBuilder(uri(base + "/api/events")).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + server + ": " + reason(e));
    }
    if (stream.statusCode() != 200) throw new ServerError(base + "/api/events answered " + stream.statusCode());
    long next = 0;
    redraw(client, base, out);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        // One redraw per quiet moment: events that come faster than that are folded into the next one.
        if (!line.isEmpty() || System.nanoTime() < next) continue;
        redraw(client, base, out);
        next = System.nanoTime() + REDRAW_MILLIS * 1_000_000;
      }
    } catch (IOException e) {
      throw new Unreachable("lost " + server + ": " + reason(e));
    }
  }

  private void redraw(HttpClient client, String base, PrintStream out) throws Unreachable, ServerError, InterruptedException {
    String screen = render(client, base);
    out.print("\033[H\033[2J" + screen); // home, clear screen
    out.flush();
  }

  private URI uri(String url) throws Unreachable {
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) throw new IllegalArgumentException();
      return uri;
    } catch (IllegalArgumentException e) {
      throw new Unreachable("--server " + server + " is not an http:// or https:// URL");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof ConnectException) return "connection refused";
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }

  /** The server answered, with an error: exit 1. */
  static final class ServerError extends Exception {
    ServerError(String message) {
      super(message, null, false, false);
    }
  }
}
