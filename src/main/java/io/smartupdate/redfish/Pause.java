package io.smartupdate.redfish;

import java.time.Duration;

/** A deployment's waits: an interrupt ends the deployment rather than being swallowed. */
final class Pause {
  private Pause() {}

  static void sleep(Duration pause) {
    try {
      Thread.sleep(Math.max(0, pause.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployFailure("interrupted");
    }
  }
}
