package io.smartupdate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.smartupdate.core.Lifecycle;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stop sequence: every part is stopped whatever the others do, and each failure is kept whole. */
class ShutdownTest {
  private final List<String> steps = new ArrayList<>();

  private final class Part implements Lifecycle {
    private final String name;
    private final Exception onStop;
    private final Exception onClose;

    Part(String name, Exception onStop, Exception onClose) {
      this.name = name;
      this.onStop = onStop;
      this.onClose = onClose;
    }

    @Override
    public void stopAccepting() {
      steps.add("stop " + name);
      if (onStop != null) throw (RuntimeException) onStop;
    }

    @Override
    public boolean awaitDrained(Instant deadline) {
      steps.add("drain " + name);
      return true;
    }

    @Override
    public void close() throws Exception {
      steps.add("close " + name);
      if (onClose != null) throw onClose;
    }
  }

  @Test
  void cleanStopReturnsNothingAndRunsEachStepForAllPartsInOrder() {
    assertNull(Shutdown.stopAll(List.of(new Part("b", null, null), new Part("a", null, null)), Instant.now()));
    assertEquals(List.of("stop b", "stop a", "drain b", "drain a", "close b", "close a"), steps);
  }

  @Test
  void failuresAreCollectedWithTheirOwnExceptionsAndTheOtherPartsStillStop() {
    IllegalStateException stopBug = new IllegalStateException("listener already closed");
    IOException closeFailure = new IOException("disk gone");
    Exception failures = Shutdown.stopAll(List.of(new Part("b", stopBug, null), new Part("a", null, closeFailure)), Instant.now());
    assertEquals(List.of("stop b", "stop a", "drain b", "drain a", "close b", "close a"), steps);
    Throwable[] each = failures.getSuppressed();
    assertEquals(2, each.length);
    assertInstanceOf(Shutdown.PartFailure.class, each[0]);
    assertEquals("Part: stopping failed", each[0].getMessage());
    assertSame(stopBug, each[0].getCause(), "the part's own exception, stack trace and all");
    assertEquals("Part: closing failed", each[1].getMessage());
    assertSame(closeFailure, each[1].getCause());
  }
}
