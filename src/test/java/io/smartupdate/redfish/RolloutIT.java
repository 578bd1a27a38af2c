package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rollout control: canaries first and alone, --max-failures, and a stop that starts nothing new but follows what runs. */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutIT {
  @TempDir static Path dir;
  private DeployFixture f;

  @BeforeAll
  void start() throws Exception {
    f = new DeployFixture(dir, 4096);
  }

  @AfterAll
  void stop() {
    if (f != null) f.close();
  }

  private List<RedfishStub> stubs(int count, int... failing) throws Exception {
    List<RedfishStub> stubs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean fails = Arrays.stream(failing).anyMatch(n -> n == stubs.size());
      stubs.add(f.stub(FakeBmc.Dialect.IDRAC9, b -> b.refuseLogin = fails));
    }
    return stubs;
  }

  private List<BmcResult> deploy(List<RedfishStub> stubs, DeployOptions options, DeployListener listener) throws Exception {
    return new Deployer(f.api(), BmcTls.trusting(f.caPem), options, listener).run(stubs.stream().map(DeployFixture::bmc).toList());
  }

  private static DeployOptions options(int parallel, Rollout rollout) {
    return DeployFixture.options(Duration.ofSeconds(10), Duration.ofSeconds(30), parallel).withRollout(rollout);
  }

  @Test
  void aFailedCanaryStopsTheRolloutAndTheRestAreSkippedUntouched() throws Exception {
    List<RedfishStub> stubs = stubs(4, 0);
    List<BmcResult> results = deploy(stubs, options(4, new Rollout(1, 0)), e -> {});
    assertEquals(BmcResult.Outcome.FAILED, results.get(0).outcome());
    for (int i = 1; i < 4; i++) {
      assertEquals(BmcResult.Outcome.SKIPPED, results.get(i).outcome());
      assertEquals("not started: canary " + stubs.get(0).address() + " failed (--canary 1)", results.get(i).reason());
      assertEquals(0, stubs.get(i).bmc.misbehave.requests.get(), "an untouched BMC got no request");
    }
  }

  @Test
  void theRestStartOnlyWhenEveryCanaryFinished() throws Exception {
    List<RedfishStub> stubs = stubs(4);
    List<DeployEvent> events = new CopyOnWriteArrayList<>();
    List<BmcResult> results = deploy(stubs, options(4, new Rollout(2, 0)), events::add);
    assertTrue(results.stream().allMatch(r -> r.outcome() == BmcResult.Outcome.UPDATED), results.toString());
    int lastCanaryEnd = 0;
    int firstOtherEvent = Integer.MAX_VALUE;
    for (int i = 0; i < events.size(); i++) {
      DeployEvent e = events.get(i);
      boolean canary = e.bmc().equals(stubs.get(0).address()) || e.bmc().equals(stubs.get(1).address());
      if (canary && e.phase() == Phase.COMPLETE) lastCanaryEnd = Math.max(lastCanaryEnd, i);
      if (!canary) firstOtherEvent = Math.min(firstOtherEvent, i);
    }
    assertTrue(lastCanaryEnd < firstOtherEvent, "the canaries ended (event " + lastCanaryEnd + ") before any other began (" + firstOtherEvent + ")");
  }

  @Test
  void afterMaxFailuresNoNewNodeStarts() throws Exception {
    List<RedfishStub> stubs = stubs(5, 0, 1);
    List<BmcResult> results = deploy(stubs, options(1, new Rollout(0, 2)), e -> {});
    assertEquals(BmcResult.Outcome.FAILED, results.get(0).outcome());
    assertEquals(BmcResult.Outcome.FAILED, results.get(1).outcome());
    for (int i = 2; i < 5; i++) {
      assertEquals(new BmcResult(stubs.get(i).address(), DeployFixture.bmc(stubs.get(i)).node(), "-", "-", BmcResult.Outcome.SKIPPED,
          "not started: 2 nodes failed (--max-failures 2)"), results.get(i));
      assertEquals(0, stubs.get(i).bmc.misbehave.requests.get(), "an untouched BMC got no request");
    }
  }

  @Test
  void aStopStartsNothingNewAndFollowsWhatRunsToItsEnd() throws Exception {
    List<RedfishStub> stubs = stubs(3);
    Deployer[] deployer = new Deployer[1];
    deployer[0] = new Deployer(f.api(), BmcTls.trusting(f.caPem), options(1, Rollout.ALL), e -> {
      if (e.phase() == Phase.DOWNLOADING) deployer[0].stop("the run was interrupted (Ctrl-C)");
    });
    List<BmcResult> results = deployer[0].run(stubs.stream().map(DeployFixture::bmc).toList());
    assertEquals(BmcResult.Outcome.UPDATED, results.get(0).outcome(), "the update in flight was followed to its end");
    assertEquals(BmcResult.Outcome.SKIPPED, results.get(1).outcome());
    assertEquals("not started: the run was interrupted (Ctrl-C)", results.get(2).reason());
  }
}
