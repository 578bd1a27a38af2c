package io.smartupdate.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * Live snapshots that a stream carries besides its own events (the download record's progress on
 * {@code /api/events}). A feed publishes batches at its own pace; a subscriber that is still
 * busy with the last batch keeps only the newest snapshot of each key, so a slow reader costs a
 * bounded map, never a growing queue.
 */
public interface LiveFeed {
  /** One snapshot: the SSE event name, a key that newer snapshots of the same thing replace, and the data. */
  record Item(String event, String key, String data) {}

  /** Calls {@code batch} with each published batch until the returned handle is closed. */
  Subscription subscribe(Consumer<List<Item>> batch);

  /** Ends a subscription; never throws. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** A feed that never publishes. */
  LiveFeed NONE = batch -> () -> {};
}
