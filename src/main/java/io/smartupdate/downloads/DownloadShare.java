package io.smartupdate.downloads;

import java.time.Instant;
import java.util.List;

/**
 * The record of downloads that servers on one shared store have in common: each publishes its
 * own, and hears the others' and which of them went silent. Publishing never waits on the store:
 * serving must not slow down because the database does.
 */
public interface DownloadShare extends AutoCloseable {
  /** Queues this server's records for the store and returns at once. */
  void publish(List<DownloadRecord> records);

  /** Records of this server not yet stored (waiting for the next batch, or for the database to come back). */
  int unshared();

  /** From now on tells {@code listener} what other servers report, on the share's own thread. */
  void subscribe(Listener listener);

  /** What a share tells its subscriber. */
  interface Listener {
    /** Other servers' records, oldest first. */
    void received(List<DownloadRecord> records);

    /** {@code server} has not been heard from since {@code lastSeen}: its downloads in flight will not end by themselves. */
    void silent(String server, Instant lastSeen);

    /** {@code server}, once silent, is heard from again. */
    void heard(String server);
  }

  /** Writes what is queued (briefly), then stops. */
  @Override
  void close();
}
