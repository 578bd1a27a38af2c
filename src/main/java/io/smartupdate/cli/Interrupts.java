package io.smartupdate.cli;

import io.smartupdate.redfish.Deployer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a deploy: the first starts nothing new and follows the updates in flight to their
 * end; the second exits, leaving those updates as they are on the BMCs, but never with a push
 * half-sent. Restores the previous handler when closed.
 */
final class Interrupts implements AutoCloseable {
  /** How long a second Ctrl-C waits for pushes in flight: a firmware image over a slow BMC link. */
  private static final Duration PUSH_GRACE = Duration.ofMinutes(10);
  private static final int EXIT_INTERRUPTED = 130;

  private final SignalHandler previous;

  private Interrupts(SignalHandler previous) {
    this.previous = previous;
  }

  static Interrupts install(Deployer deployer, PrintStream err) {
    AtomicInteger count = new AtomicInteger();
    SignalHandler handler = signal -> {
      if (count.incrementAndGet() == 1) {
        deployer.stop("the run was interrupted (Ctrl-C)");
        err.println("smartupdate: interrupted: no new BMC or step starts; the updates in flight are followed to their end (Ctrl-C again to exit now)");
        return;
      }
      Thread exit = new Thread(() -> {
        err.println("smartupdate: exiting; the updates in flight are left as they are on the BMCs");
        try {
          if (!deployer.awaitPushes(Duration.ofMillis(1))) {
            err.println("smartupdate: waiting for the image pushes in flight to be sent whole");
            deployer.awaitPushes(PUSH_GRACE);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        System.exit(EXIT_INTERRUPTED);
      }, "deploy-exit");
      exit.start();
    };
    try {
      return new Interrupts(Signal.handle(new Signal("INT"), handler));
    } catch (IllegalArgumentException noSignals) {
      return new Interrupts(null); // a JVM run with -Xrs, or no INT here: Ctrl-C ends the process as usual
    }
  }

  @Override
  public void close() {
    if (previous != null) Signal.handle(new Signal("INT"), previous);
  }
}
