package io.smartupdate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Threads;
import io.smartupdate.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docs/operations.md: the death of the status writer thread ends the process with exit 70, so a service manager restarts it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadWriterIT {
  @Test
  void aDeadStatusWriterHaltsTheProcessWithExit70() throws Exception {
    Process child = new ProcessBuilder(ChildJvm.command(DeadWriterMain.class)).redirectErrorStream(true).start();
    try {
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the process outlived its status writer");
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(70, Threads.EXIT_THREAD_DIED);
      assertEquals(Threads.EXIT_THREAD_DIED, child.exitValue(), output);
      assertTrue(output.contains("submitted"), output);
      assertFalse(output.contains("still alive"), output);
      assertTrue(output.contains("internal thread status-group-commit died") && output.contains("exiting with status 70"),
          "the log says which thread died and why the process ends: " + output);
    } finally {
      child.destroyForcibly();
    }
  }
}
