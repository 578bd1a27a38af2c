package io.smartupdate.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client, or all of them, may hold of the server. The defaults are the command line's;
 * the README's limits table lists these with the fixed ones.
 *
 * @param maxConnections open connections in all, hand-off ports included (lowered to fit {@code ulimit -n})
 * @param maxClientConnections open connections of one client address
 * @param writeStall how long a response may make no progress (a client that stopped reading) before the connection is cut
 * @param maxClientStreams live event streams ({@code /api/events}) of one client address
 * @param idle how long a connection may wait for its first request, or between requests (keep-alive)
 * @param requestHead how long a request's line and headers may take once they begin (slowloris); on
 *     an HTTPS port, also how long a new connection may take to send its first byte
 */
public record Limits(int maxConnections, int maxClientConnections, Duration writeStall, int maxClientStreams, Duration idle,
    Duration requestHead) {
  public static final Limits DEFAULT =
      new Limits(8_192, 256, Duration.ofSeconds(60), 16, Duration.ofSeconds(120), Duration.ofSeconds(30));

  public Limits {
    Objects.requireNonNull(writeStall, "writeStall == null");
    Objects.requireNonNull(idle, "idle == null");
    Objects.requireNonNull(requestHead, "requestHead == null");
    if (idle.toMillis() < 1 || requestHead.toMillis() < 1) throw new IllegalArgumentException("timeouts must be positive");
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
    if (maxClientConnections < 1 || maxClientConnections > maxConnections) {
      throw new IllegalArgumentException("maxClientConnections must be 1-" + maxConnections + ", not " + maxClientConnections);
    }
    if (writeStall.toMillis() < 1) throw new IllegalArgumentException("writeStall must be positive, not " + writeStall);
    if (maxClientStreams < 1) throw new IllegalArgumentException("maxClientStreams must be at least 1, not " + maxClientStreams);
  }

  public Limits withConnections(int total, int perClient) {
    return new Limits(total, perClient, writeStall, maxClientStreams, idle, requestHead);
  }

  public Limits withWriteStall(Duration stall) {
    return new Limits(maxConnections, maxClientConnections, stall, maxClientStreams, idle, requestHead);
  }

  public Limits withClientStreams(int streams) {
    return new Limits(maxConnections, maxClientConnections, writeStall, streams, idle, requestHead);
  }

  public Limits withTimeouts(Duration idleTimeout, Duration headTimeout) {
    return new Limits(maxConnections, maxClientConnections, writeStall, maxClientStreams, idleTimeout, headTimeout);
  }
}
