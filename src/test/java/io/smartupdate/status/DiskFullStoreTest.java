package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A full disk is refused honestly (503 = not stored) and, once space is freed, the writer carries on by itself. */
class DiskFullStoreTest {
  @TempDir Path temp;

  /** Small events fail at COMMIT (when the WAL grows); large ones already while inserting. */
  @ParameterizedTest(name = "{0}-byte messages")
  @ValueSource(ints = {10, 3000})
  @Timeout(120)
  void storeRecoversAfterDiskFullWithoutDuplicates(int messageSize) throws Exception {
    String padding = "x".repeat(messageSize);
    try (Tmpfs fs = Tmpfs.mount(temp.resolve("fs"), "2m")) {
      Path data = fs.dir().resolve("data");
      Path db = data.resolve("status.db");
      List<StatusEvent> live = Collections.synchronizedList(new ArrayList<>());
      List<Long> acknowledged = new ArrayList<>();
      try (JdbcStatusStore store = JdbcStatusStore.open(null, data); GroupCommitter committer = new GroupCommitter(store, live::addAll)) {
        for (int i = 0; i < 5; i++) acknowledged.add(post(committer, "before-" + i + padding));

        Path filler = fs.fill();
        int refused = 0;
        for (int i = 0; i < 200 && refused < 5; i++) {
          try {
            acknowledged.add(post(committer, "full-" + i + padding));
          } catch (ExecutionException e) {
            assertTrue(e.getCause().getMessage().contains("not stored"), e.getCause().getMessage());
            refused++;
          }
        }
        assertEquals(5, refused, "posts are refused while the disk is full");
        assertEquals(acknowledged, StoreProbe.ids(db), "exactly the acknowledged events are stored, none of the refused ones");

        Files.delete(filler);
        for (int i = 0; i < 5; i++) acknowledged.add(post(committer, "after-" + i + padding));
      }
      List<Long> stored = StoreProbe.ids(db);
      assertEquals(acknowledged, stored, "every acknowledged event is stored once, and nothing else");
      assertEquals(LongStream.rangeClosed(1, stored.size()).boxed().toList(), stored, "ids keep growing without gaps");
      assertEquals(acknowledged, live.stream().map(StatusEvent::id).toList(), "the live hub learns of every stored event");
    }
  }

  /** Posts one event through the group committer and returns its id; a refusal surfaces as ExecutionException. */
  private static long post(GroupCommitter committer, String message) throws Exception {
    return committer.submit(List.of(StoreProbe.event("node-1", message))).get(30, TimeUnit.SECONDS).get(0).id();
  }
}
