package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rollout gate: failures counted against the limit, the first reason kept, pushes never cut by an exit. */
@Timeout(10)
class GateTest {
  private static BmcResult result(BmcResult.Outcome outcome) {
    return new BmcResult("10.0.0.5", "bmc-10.0.0.5", "-", "-", outcome, "why");
  }

  @Test
  void theGateClosesAtMaxFailuresCountingFailedAndNotAppliedOnly() {
    Gate gate = new Gate(new Rollout(0, 2));
    gate.finished(result(BmcResult.Outcome.FAILED));
    gate.finished(result(BmcResult.Outcome.UPDATED));
    gate.finished(result(BmcResult.Outcome.SKIPPED));
    assertNull(gate.closed());
    gate.finished(result(BmcResult.Outcome.NOT_UPDATED));
    assertEquals("2 nodes failed (--max-failures 2)", gate.closed());
    gate.close("the run was interrupted (Ctrl-C)");
    assertEquals("2 nodes failed (--max-failures 2)", gate.closed(), "the first reason stays");
  }

  @Test
  void withoutALimitFailuresNeverCloseIt() {
    Gate gate = new Gate(Rollout.ALL);
    for (int i = 0; i < 100; i++) gate.finished(result(BmcResult.Outcome.FAILED));
    assertNull(gate.closed());
  }

  @Test
  void anExitWaitsForAPushInFlightToBeSentWhole() throws Exception {
    Gate gate = new Gate(Rollout.ALL);
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch sent = new CountDownLatch(1);
    Thread push = new Thread(() -> gate.pushing(() -> {
      sending.countDown();
      try {
        sent.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    push.start();
    sending.await();
    assertEquals(1, gate.pushesInFlight());
    assertFalse(gate.awaitPushes(Duration.ofMillis(100)), "a push half-sent holds the exit");
    sent.countDown();
    assertTrue(gate.awaitPushes(Duration.ofSeconds(5)));
    assertEquals(0, gate.pushesInFlight());
  }
}
