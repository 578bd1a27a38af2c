package io.smartupdate.server;

import io.smartupdate.core.Lifecycle;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop sequence of {@link Lifecycle}: every part stops accepting (ports free at once), then
 * in-flight work drains until one deadline, then every part closes. A failing part never keeps
 * the others running; its failure is kept whole, stack trace included, for the log.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {}

  /** A part that failed to stop; its cause is what the part threw. */
  static final class PartFailure extends Exception {
    PartFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /**
   * Stops {@code parts} in their order; returns null when all stopped cleanly, else one exception
   * whose suppressed ones are each part's failure.
   */
  static Exception stopAll(List<Lifecycle> parts, Instant deadline) {
    Exception failures = new Exception("stopping the server");
    for (Lifecycle part : parts) attempt(failures, part, "stopping", part::stopAccepting);
    for (Lifecycle part : parts) {
      attempt(failures, part, "draining", () -> {
        if (!part.awaitDrained(deadline)) log.warn("{}: work still running at the end of the grace", name(part));
      });
    }
    for (Lifecycle part : parts) attempt(failures, part, "closing", part::close);
    return failures.getSuppressed().length == 0 ? null : failures;
  }

  private static void attempt(Exception failures, Lifecycle part, String what, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.addSuppressed(new PartFailure(name(part) + ": interrupted while " + what, e));
    } catch (Exception e) {
      failures.addSuppressed(new PartFailure(name(part) + ": " + what + " failed", e));
    }
  }

  private static String name(Lifecycle part) {
    return part.getClass().getSimpleName();
  }
}
