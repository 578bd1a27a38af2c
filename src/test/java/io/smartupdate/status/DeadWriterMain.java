package io.smartupdate.status;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link DeadWriterIT} in a JVM of its own: the real group committer over a store whose
 * append throws an Error, as a bug deep in a JDBC driver would. The writer thread dies with it,
 * and the process must halt with exit 70 rather than live on, listening but never storing.
 * Prints {@code submitted}, then {@code still alive} if nothing halted it within 30 s.
 */
public final class DeadWriterMain {
  private DeadWriterMain() {}

  public static void main(String[] args) throws Exception {
    FakeStatusStore store = new FakeStatusStore();
    store.failAppend(1, new StackOverflowError("the status writer ran out of stack"));
    GroupCommitter committer = new GroupCommitter(store, events -> {});
    committer.submit(List.of(GroupCommitterTest.event("dead-writer", "the last event")));
    System.out.println("submitted");
    System.out.flush();
    TimeUnit.SECONDS.sleep(30);
    System.out.println("still alive");
  }
}
