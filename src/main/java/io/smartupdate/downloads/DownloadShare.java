package io.smartupdate.downloads;

import java.util.List;
import java.util.function.Consumer;

/**
 * The record of downloads that servers on one shared store have in common: each publishes its
 * own, and hears the others'. Publishing never waits on the store: serving must not slow down
 * because the database does.
 */
public interface DownloadShare extends AutoCloseable {
  /** Queues this server's records for the store and returns at once. */
  void publish(List<DownloadRecord> records);

  /** Records of this server not yet stored (waiting for the next batch, or for the database to come back). */
  int unshared();

  /** From now on delivers other servers' records, oldest first, in batches, on the share's own thread. */
  void subscribe(Consumer<List<DownloadRecord>> foreign);

  /** Writes what is queued (briefly), then stops. */
  @Override
  void close();
}
