package io.smartupdate.server;

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
 */
public record Limits(int maxConnections, int maxClientConnections, Duration writeStall, int maxClientStreams) {
  public static final Limits DEFAULT = new Limits(8_192, 256, Duration.ofSeconds(60), 16);

  public Limits {
    Objects.requireNonNull(writeStall, "writeStall == null");
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
    if (maxClientConnections < 1 || maxClientConnections > maxConnections) {
      throw new IllegalArgumentException("maxClientConnections must be 1-" + maxConnections + ", not " + maxClientConnections);
    }
    if (writeStall.toMillis() < 1) throw new IllegalArgumentException("writeStall must be positive, not " + writeStall);
    if (maxClientStreams < 1) throw new IllegalArgumentException("maxClientStreams must be at least 1, not " + maxClientStreams);
  }

  public Limits withConnections(int total, int perClient) {
    return new Limits(total, perClient, writeStall, maxClientStreams);
  }

  public Limits withWriteStall(Duration stall) {
    return new Limits(maxConnections, maxClientConnections, stall, maxClientStreams);
  }

  public Limits withClientStreams(int streams) {
    return new Limits(maxConnections, maxClientConnections, writeStall, streams);
  }
}
