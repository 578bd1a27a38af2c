package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.smartupdate.core.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What real BMCs do, each against stub BMCs that really fetch from one real server: busy, resets, Targets, task states, pace. */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BmcBehaviourIT {
  /** An iDRAC's inventory as shown for an image named for no member of it: every member. */
  private static final String IDRAC_BEFORE = "Integrated Dell Remote Access Controller=1.00, BIOS=2.19.1";
  @TempDir static Path dir;
  private DeployFixture f;

  @BeforeAll
  void start() throws Exception {
    f = new DeployFixture(dir, 64 * 1024);
  }

  @AfterAll
  void stop() {
    if (f != null) f.close();
  }

  /** An iDRAC that deletes its task at the flash's end and resets 0.3 s later, down for {@code down}. */
  private RedfishStub resetting(Duration down, java.util.function.Consumer<FakeBmc> more) throws Exception {
    return f.stub(FakeBmc.Dialect.IDRAC9, b -> {
      b.taskGoneThenResetAfter = Duration.ofMillis(300);
      b.resetFor = down;
      more.accept(b);
    });
  }

  private static DeployOptions options(int timeoutSeconds) {
    return DeployFixture.options(Duration.ofSeconds(10), Duration.ofSeconds(timeoutSeconds), 1);
  }

  @ParameterizedTest
  @CsvSource({"ILO5, POST /redfish/v1/SessionService/Sessions, 503", "IDRAC9, POST /redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate, 429",
      "OPENBMC, POST /redfish/v1/UpdateService/update-multipart, 503", "IDRAC9, GET /redfish/v1/TaskService/Tasks/, 503",
      "DMTF, GET /redfish/v1/UpdateService/FirmwareInventory, 429"})
  void aBusyBmcIsWaitedForAsItAsksThenAsked(FakeBmc.Dialect dialect, String request, int status) throws Exception {
    RedfishStub stub = f.stub(dialect, b -> {
      b.misbehave.busy(request, 2);
      b.misbehave.busyStatus = status;
    });
    long start = System.nanoTime();
    BmcResult result = f.deployOne(stub, options(30));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals(2, stub.bmc.misbehave.busyAnswered.get());
    assertTrue(System.nanoTime() - start >= Duration.ofSeconds(2).toNanos(), "waited the 1 s asked, twice");
    assertTrue(f.messages(stub).stream().anyMatch(m -> m.matches("BMC busy \\(" + status + "\\) on " + request.split(" ")[0] + " "
        + request.split(" ")[1] + ".*; retrying in 1 s as it asks")), f.messages(stub).toString());
  }

  @Test
  void aBmcBusyPastTheTimeoutFailsNamingTheRequest() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.misbehave.busy("POST /redfish/v1/UpdateService/Actions", 100));
    BmcResult result = f.deployOne(stub, options(3));
    assertEquals("BMC " + stub.address() + " stayed busy (503) on POST /redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate for 3 s"
        + " (--timeout): The service is temporarily unavailable.", result.reason());
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
  void aTaskDeletedAfterTheFlashAndALaterResetIsSettledThenJudgedByTheInventory(Fault fault) throws Exception {
    RedfishStub stub = resetting(Duration.ofSeconds(2), b -> b.downFault = fault);
    BmcResult result = f.deployOne(stub, options(30).withExpectedVersion("2.00"));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("2.00", result.after());
    assertTrue(f.events.stream().anyMatch(e -> e.bmc().equals(stub.address()) && e.phase() == Phase.REBOOTING), "the reset was seen");
    assertTrue(f.messages(stub).contains("BMC is back: logged in again, 3 good reads in a row"), f.messages(stub).toString());
    assertTrue(stub.bmc.sessionsOpened.get() >= 2, "logged in again after the reset");
  }

  @Test
  void aResetThatRefusesConnectionsIsWaitedOutToo() throws Exception {
    RedfishStub stub = resetting(Duration.ofSeconds(2), b -> b.refuseConnectionsWhileDown = true);
    BmcResult result = f.deployOne(stub, options(30).withExpectedVersion("2.00"));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertTrue(f.messages(stub).stream().anyMatch(m -> m.startsWith("BMC " + stub.address() + " cannot be reached: ")), f.messages(stub).toString());
  }

  @Test
  void aBmcThatComesBackAndGoesDownAgainIsJudgedOnlyAfterThreeGoodReadsInARow() throws Exception {
    RedfishStub stub = resetting(Duration.ofSeconds(1), b -> b.flapsAfterReset = 1);
    BmcResult result = f.deployOne(stub, options(30).withExpectedVersion("2.00"));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), "the old inventory read between two resets is no verdict: " + result.reason());
    assertTrue(stub.bmc.sessionsOpened.get() >= 3, "logged in after each return: " + stub.bmc.sessionsOpened.get());
  }

  @Test
  void anInventoryStillOldAfterTheResetIsNotApplied() throws Exception {
    RedfishStub stub = resetting(Duration.ofSeconds(1), b -> b.appliedOnReset = false);
    BmcResult result = f.deployOne(stub, options(30).withExpectedVersion("2.00"));
    assertEquals(BmcResult.Outcome.NOT_UPDATED, result.outcome(), result.reason());
    assertEquals("BMC " + stub.address() + " accepted the update but did not apply it: the task is gone, and its inventory is unchanged"
        + " (" + IDRAC_BEFORE + ") after it settled", result.reason());
    assertTrue(f.events.stream().anyMatch(e -> e.bmc().equals(stub.address()) && e.phase() == Phase.REBOOTING), "judged after the reset");
  }

  @Test
  void aTargetRefusedOnTheRetryIsFollowedByTheNextCandidate() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> {
      b.requireTargets = true;
      b.acceptTarget = "/Systems/";
      b.targetRefusal = "Manager is not currently a supported Target";
    });
    BmcResult result = f.deployOne(stub, options(30));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("/redfish/v1/Systems/1", stub.bmc.lastSimpleUpdate.path("Targets").get(0).asText());
    assertTrue(f.messages(stub).containsAll(List.of("BMC asks for Targets; trying [/redfish/v1/Managers/1]",
        "BMC asks for Targets; trying [/redfish/v1/Systems/1]")), f.messages(stub).toString());
  }

  @Test
  void targetsRequiredAndNoCandidateNamesTheOptionAndTheInventory() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> {
      b.requireTargets = true;
      b.noCollections = true;
    });
    BmcResult result = f.deployOne(stub, options(30));
    assertEquals("BMC " + stub.address() + " requires Targets for SimpleUpdate (The property Targets is a required property and must be"
        + " included in the request.) and none fits hpe/ilo5_310.bin: pass --targets URI (its FirmwareInventory lists"
        + " [/redfish/v1/UpdateService/FirmwareInventory/BMC, /redfish/v1/UpdateService/FirmwareInventory/BIOS])", result.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Suspended", "Interrupted", "UserIntervention", "Cancelled"})
  void aTaskThatStopsShortHasItsOwnResult(String state) throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.taskEnd = state);
    BmcResult result = f.deployOne(stub, options(30));
    String bmc = "BMC " + stub.address();
    String words = "task " + state + ": The task is " + state + ".";
    String expected = switch (state) {
      case "Suspended" -> bmc + " suspended the update (" + words + "): resume or cancel it on the BMC, then deploy again";
      case "Interrupted" -> bmc + " reports the update interrupted (" + words + "): it did not finish; check the BMC, then deploy again";
      case "UserIntervention" -> bmc + " waits for an operator (" + words + "): act on the BMC, then deploy again";
      default -> bmc + " cancelled the update (" + words + "); its inventory shows " + IDRAC_BEFORE;
    };
    assertEquals(BmcResult.Outcome.FAILED, result.outcome());
    assertEquals(expected, result.reason());
  }

  @Test
  void retryAfterOnTheTaskMonitorSetsThePollingPace() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> b.monitorRetryAfter = "1");
    BmcResult result = f.deployOne(stub, options(30));
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    List<Long> reads = stub.bmc.monitorReads;
    assertTrue(reads.size() >= 2, "monitor reads: " + reads.size());
    for (int i = 1; i < reads.size(); i++) {
      long gap = (reads.get(i) - reads.get(i - 1)) / 1_000_000;
      assertTrue(gap >= 900, "poll " + i + " came " + gap + " ms after the one before; the BMC asked for 1 s");
    }
  }

  @Test
  void aTaskThatEndsWithoutARequestForTheImageIsNeverFetched() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.completeWithoutFetch = true);
    long start = System.nanoTime();
    BmcResult result = f.deployOne(stub, DeployFixture.options(Duration.ofSeconds(30), Duration.ofSeconds(60), 1));
    assertTrue(result.reason().matches("BMC 127\\.0\\.0\\.1 accepted the update but never fetched https://127\\.0\\.0\\.1:\\d+/firmware/hpe/"
        + "ilo5_310\\.bin: check that 127\\.0\\.0\\.1 can reach 127\\.0\\.0\\.1:\\d+ \\(firewall, route, proxy\\)"), result.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the task's end decided, not --fetch-timeout");
  }

  @Test
  void aBmcThatResetsAndStaysAwayFailsAtTheTimeout() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> b.resetFor = Duration.ofSeconds(60));
    BmcResult result = f.deployOne(stub, options(3));
    assertEquals("BMC " + stub.address() + " went away and did not come back within 3 s (--timeout)", result.reason());
  }

  @Test
  void aFlashThatNeverEndsFailsAtTheTimeout() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    BmcResult result = f.deployOne(stub, options(3));
    assertEquals("BMC " + stub.address() + " did not finish the update within 3 s (--timeout)", result.reason());
  }

  @Test
  void aBmcNobodyListensForCannotBeReached() throws Exception {
    int closed = io.smartupdate.testing.Ports.freeRange(1);
    Bmc nowhere = new Bmc("127.0.0.1:" + closed, FakeBmc.USER, FakeBmc.PASSWORD, null);
    BmcResult result = f.deploy(options(5), List.of(nowhere)).get(0);
    assertEquals("BMC 127.0.0.1:" + closed + " cannot be reached: connection refused", result.reason());
  }
}
