package io.smartupdate.status;

import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.ClientCounts;
import io.smartupdate.core.NodeName;
import io.smartupdate.core.Problem;
import io.smartupdate.http.HttpErrors;
import io.smartupdate.http.HttpFeature;
import io.smartupdate.http.Json;
import io.smartupdate.http.JsonBody;
import io.smartupdate.http.Query;
import io.smartupdate.http.Routes;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.SameThreadExecutor;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Routes of the status feature.
 *
 * <pre>
 * curl -H "Authorization: Bearer $(cat data/token)" -H 'Content-Type: application/json' \
 *      -d '{"node":"ilo-10.0.0.5","phase":"downloading","progress":42}' http://host:63001/api/status
 * </pre>
 */
final class StatusFeature implements HttpFeature {
  static final int MAX_BODY = 64 * 1024;
  private static final String NODES = "/api/nodes/";

  private final GroupCommitter committer;
  private final StatusStore store;
  private final ServerSentEventHandler streams;
  private final WriteAuth auth;
  private final int maxClientStreams;
  private final ClientCounts streamsByClient;

  StatusFeature(GroupCommitter committer, StatusStore store, ServerSentEventHandler streams, WriteAuth auth, int maxClientStreams) {
    this.committer = committer;
    this.store = store;
    this.streams = streams;
    this.auth = auth;
    this.maxClientStreams = maxClientStreams;
    this.streamsByClient = new ClientCounts(maxClientStreams);
  }

  @Override
  public void routing(Routes routes) {
    routes.add("POST", "/api/status", exchange -> write(exchange, (body, source) -> List.of(EventParser.parse(body, source, Instant.now())),
            stored -> stored.get(0)))
        .add("POST", "/redfish/events", exchange -> write(exchange, (body, source) -> RedfishEvents.parse(body, source, Instant.now()),
            stored -> Map.of("events", stored)))
        .addBlocking("GET", "/api/nodes", exchange -> {
          StatusStore.Overview overview = store.overview();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("count", overview.nodes().size());
          body.put("phases", overview.phases());
          body.put("nodes", overview.nodes());
          Json.send(exchange, 200, body);
        })
        .addPrefix("GET", NODES, Routes.blocking(this::history))
        .add("GET", "/api/events", this::stream);
  }

  /** A live stream, unless this client already holds as many as one may (each is a connection held open for good). */
  private void stream(HttpServerExchange exchange) throws Exception {
    InetAddress client = exchange.getSourceAddress().getAddress();
    if (!streamsByClient.acquire(client)) {
      throw new Problem.TooMany("too_many_streams", "this client already has " + maxClientStreams + " live event streams open; "
          + "close one, or share one stream between its consumers", Duration.ofSeconds(10));
    }
    exchange.getConnection().addCloseListener(connection -> streamsByClient.release(client));
    closeWhenTheClientLeaves(exchange);
    streams.handleRequest(exchange);
  }

  /**
   * A stream only writes, so without this the server would notice a departed client at its next
   * keep-alive write at best. Its client sends nothing more on the connection: the end of input
   * means it has gone, and the connection (with its slot and its wake-ups) is closed at once.
   */
  private static void closeWhenTheClientLeaves(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof AbstractServerConnection http)) return; // HTTP/1.1 only
    StreamSourceChannel input = http.getChannel().getSourceChannel();
    ByteBuffer discard = ByteBuffer.allocate(256);
    input.getReadSetter().set(channel -> {
      try {
        int n;
        while ((n = channel.read(discard.clear())) > 0) {
          // a stream's client has nothing to say; whatever it sends is dropped
        }
        if (n < 0) IoUtils.safeClose(exchange.getConnection());
      } catch (IOException e) {
        IoUtils.safeClose(exchange.getConnection());
      }
    });
    input.resumeReads();
  }


  /** Authenticates, parses and queues a write; answers 201 from the IO thread once the commit is durable. */
  private void write(HttpServerExchange exchange, BiFunction<byte[], String, List<StatusEvent>> parse,
      Function<List<StatusEvent>, Object> view) {
    auth.precheck(exchange);
    JsonBody.receive(exchange, MAX_BODY, (ex, body) -> {
      auth.verify(ex, body);
      List<StatusEvent> events = parse.apply(body, source(ex));
      // Dispatching keeps the exchange open after this callback returns; the commit answers it later.
      ex.dispatch(SameThreadExecutor.INSTANCE, () -> committer.submit(events).whenComplete((stored, error) ->
          ex.getIoThread().execute(() -> respond(ex, stored, error, view))));
    });
  }

  private static void respond(HttpServerExchange exchange, List<StatusEvent> stored, Throwable error,
      Function<List<StatusEvent>, Object> view) {
    if (error == null) {
      Json.send(exchange, 201, view.apply(stored));
      return;
    }
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    HttpErrors.send(exchange, cause instanceof Problem ? cause
        : new Problem.Unavailable("store_unavailable", "the event was not stored; retry", Duration.ofSeconds(1)));
  }

  private void history(HttpServerExchange exchange) throws Exception {
    String node = exchange.getRelativePath().substring(NODES.length()).replace("%3A", ":").replace("%3a", ":");
    NodeName.require("node", node);
    long after = parameter(exchange, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) parameter(exchange, "limit", 100, 1, 1000);
    List<StatusEvent> events = store.history(node, after, limit);
    if (events.isEmpty() && after == 0) throw new Problem.NotFound("no status events for node " + node);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node);
    body.put("events", events);
    body.put("next", events.size() == limit ? events.get(events.size() - 1).id() : null);
    Json.send(exchange, 200, body);
  }

  private static long parameter(HttpServerExchange exchange, String name, long fallback, long min, long max) {
    String text = Query.first(exchange, name);
    if (text == null) return fallback;
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) throw new NumberFormatException();
      return value;
    } catch (NumberFormatException e) {
      throw Problem.BadInput.field(name, "must be an integer from " + min + " to " + max);
    }
  }

  private static String source(HttpServerExchange exchange) {
    InetSocketAddress address = exchange.getSourceAddress();
    return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
  }
}
