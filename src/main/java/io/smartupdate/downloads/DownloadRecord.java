package io.smartupdate.downloads;

import java.time.Instant;
import java.util.Objects;

/**
 * One firmware response as {@code GET /api/downloads} and {@code event: download} show it, and as
 * servers on a shared store exchange it; {@code length} and {@code size} are null until known,
 * {@code ended} while in flight. {@code server} names the server that sent it.
 */
public record DownloadRecord(String id, String client, String path, String range, long sent, Long length, Long size,
    Instant started, Instant ended, String result, String scheme, String session, String server) {
  public DownloadRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(server, "server");
    if (sent < 0) throw new IllegalArgumentException("sent must be >= 0, not " + sent);
  }

  /** Whether the response is still being sent. */
  public boolean inFlight() {
    return Download.IN_FLIGHT.equals(result);
  }

  /** This download in flight as it stands when its server went silent: it will never end by itself. */
  DownloadRecord interrupted(Instant lastSeen) {
    return new DownloadRecord(id, client, path, range, sent, length, size, started, lastSeen, Download.INTERRUPTED, scheme, session, server);
  }

  /** The same record under an id that cannot clash with this server's own ({@code d-7@other}). */
  DownloadRecord foreign() {
    return new DownloadRecord(id + "@" + server, client, path, range, sent, length, size, started, ended, result, scheme, session, server);
  }
}
