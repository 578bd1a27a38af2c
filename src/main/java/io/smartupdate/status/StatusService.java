package io.smartupdate.status;

import io.smartupdate.auth.WriteAuth;
import io.smartupdate.core.Lifecycle;
import io.smartupdate.core.LiveFeed;
import io.smartupdate.core.StartupException;
import io.smartupdate.http.HttpFeature;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import java.nio.file.Path;
import java.sql.SQLException;

/** The status feature's parts: store, group committer and live hub, started together and stopped in order. */
public final class StatusService implements Lifecycle {
  private final StatusStore store;
  private final EventHub hub;
  private final GroupCommitter committer;
  private final ServerSentEventHandler streams;

  private StatusService(StatusStore store, EventHub hub, LiveFeed feed, StatusMetrics metrics) {
    this.store = store;
    this.hub = hub;
    this.committer = new GroupCommitter(store, hub::committed, metrics);
    this.streams = new ServerSentEventHandler(new EventStream(hub, feed));
  }

  /** Opens the store ({@code jdbcUrl} null = SQLite in {@code dataDir}); throws a StartupException with a readable message. */
  public static StatusService open(String jdbcUrl, Path dataDir) {
    return open(jdbcUrl, dataDir, LiveFeed.NONE, StatusMetrics.NONE);
  }

  /** As {@link #open(String, Path)}; {@code /api/events} also carries {@code feed}'s snapshots, and commits report to {@code metrics}. */
  public static StatusService open(String jdbcUrl, Path dataDir, LiveFeed feed, StatusMetrics metrics) {
    StatusStore store = StatusStore.open(jdbcUrl, dataDir);
    try {
      return new StatusService(store, new EventHub(store), feed, metrics);
    } catch (SQLException | RuntimeException e) {
      store.close();
      throw new StartupException("cannot read the status database: " + e.getMessage(), e);
    }
  }

  /** The status routes; writes are authenticated by {@code auth}, and one client may hold {@code maxClientStreams} live streams. */
  public HttpFeature feature(WriteAuth auth, int maxClientStreams) {
    return new StatusFeature(committer, store, streams, auth, maxClientStreams);
  }

  /** Each node's last inventory and analysis, in the status database. */
  public Inventories inventories() {
    return store.inventories();
  }

  /** Deploy runs and their steps, in the status database. */
  public DeployRuns deployRuns() {
    return store.deployRuns();
  }

  /** Null while events are being stored; otherwise why the last commit failed (writes answer 503 meanwhile). */
  public String storeFailure() {
    return committer.failure();
  }

  /** Ends the live streams: they never finish on their own, so a graceful stop must not wait for them. */
  @Override
  public void stopAccepting() {
    streams.getConnections().forEach(ServerSentEventConnection::shutdown);
  }

  /** Stores what was accepted, then closes the stream and the database. */
  @Override
  public void close() {
    committer.close();
    hub.close();
    store.close();
  }
}
