package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smartupdate.redfish.BmcResult.Outcome;
import io.smartupdate.redfish.TaskFollower.End;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict from task end, fetch proof and inventories, case by case, without a BMC. */
class VerdictTest {
  private static final String URL = "https://10.0.0.1:63010/firmware/hpe/ilo5_310.bin";
  private static final Inventory OLD = inventory("2.78");
  private static final Inventory NEW = inventory("3.10");
  private static final FetchProof.Fetch WHOLE = new FetchProof.Fetch(1, 1000, 1000, true, false);

  private static Inventory inventory(String ilo) {
    return new Inventory(List.of(new Inventory.Item("/fw/1", "1", "iLO 5", ilo, true), new Inventory.Item("/fw/2", "2", "System ROM", "U46", true)));
  }

  private static Verdict judge(End end, String message, FetchProof.Fetch fetch, Inventory after, String expected) {
    return Verdict.judge(new Verdict.Evidence("10.0.0.5", "10.0.0.5", URL, end, message, fetch, OLD, after, "hpe/ilo5_310.bin", expected));
  }

  @Test
  void aFetchedImageAndTheExpectedVersionInTheInventoryIsAnUpdate() {
    Verdict verdict = judge(End.GONE, "the task is gone", WHOLE, NEW, "3.10");
    assertEquals(new Verdict(Outcome.UPDATED, "updated", "2.78", "3.10"), verdict);
  }

  @Test
  void withoutAnExpectedVersionAnyChangeOfTheInventoryIsAnUpdate() {
    assertEquals(Outcome.UPDATED, judge(End.GONE, null, WHOLE, NEW, null).outcome());
  }

  @Test
  void anInventoryThatChangedToAnotherVersionThanExpectedFails() {
    Verdict verdict = judge(End.SUCCESS, null, WHOLE, inventory("3.00"), "3.10");
    assertEquals(new Verdict(Outcome.FAILED, "BMC 10.0.0.5 now shows 3.00, not the expected 3.10", "2.78", "3.00"), verdict);
  }

  @Test
  void aTaskGoneAndAnInventoryUnchangedAfterSettlingIsNotApplied() {
    Verdict verdict = judge(End.GONE, "the task is gone", WHOLE, OLD, "3.10");
    assertEquals(Outcome.NOT_UPDATED, verdict.outcome());
    assertEquals("BMC 10.0.0.5 accepted the update but did not apply it: the task is gone, and its inventory is unchanged (2.78)"
        + " after it settled", verdict.reason());
  }

  @Test
  void reportedSuccessWithTheOldVersionSaysActivationMayNeedAReset() {
    Verdict verdict = judge(End.SUCCESS, null, WHOLE, OLD, null);
    assertEquals(new Verdict(Outcome.UPDATED, "the BMC reported success; the inventory still shows 2.78 (activation may need a reset)",
        "2.78", "2.78"), verdict);
  }

  @Test
  void successWithoutAnyRequestIsNeverFetched() {
    Verdict verdict = judge(End.SUCCESS, null, new FetchProof.Fetch(0, 0, 1000, false, false), NEW, null);
    assertEquals("BMC 10.0.0.5 accepted the update but never fetched " + URL + ": check that 10.0.0.5 can reach 10.0.0.1:63010"
        + " (firewall, route, proxy)", verdict.reason());
    assertEquals(Outcome.FAILED, verdict.outcome(), "a BMC's word is never the verdict alone");
  }

  @Test
  void aPartFetchNamesTheBytesAndTheBmcsWords() {
    Verdict verdict = judge(End.FAILED, "connection closed", new FetchProof.Fetch(1, 400, 1000, false, false), OLD, null);
    assertEquals("BMC 10.0.0.5 fetched only 400 of 1000 bytes of " + URL + "; it says: connection closed", verdict.reason());
  }

  @Test
  void eachTaskStateThatIsNotSuccessHasItsOwnResult() {
    assertEquals("BMC 10.0.0.5 ended the update in failure: bad image", judge(End.FAILED, "bad image", WHOLE, OLD, null).reason());
    assertEquals("BMC 10.0.0.5 cancelled the update (task Cancelled: task Cancelled); its inventory shows 2.78",
        judge(End.CANCELLED, "task Cancelled", WHOLE, OLD, null).reason());
    assertEquals("BMC 10.0.0.5 suspended the update (task Suspended: no message): resume or cancel it on the BMC, then deploy again",
        judge(End.SUSPENDED, null, WHOLE, OLD, null).reason());
    assertEquals("BMC 10.0.0.5 reports the update interrupted (task Interrupted: AC lost): it did not finish; check the BMC, then deploy again",
        judge(End.INTERRUPTED, "AC lost", WHOLE, OLD, null).reason());
    assertEquals("BMC 10.0.0.5 waits for an operator (task UserIntervention: press F1): act on the BMC, then deploy again",
        judge(End.USER_INTERVENTION, "press F1", WHOLE, OLD, null).reason());
    for (End end : List.of(End.FAILED, End.CANCELLED, End.SUSPENDED, End.INTERRUPTED, End.USER_INTERVENTION)) {
      assertEquals(Outcome.FAILED, judge(end, null, WHOLE, NEW, null).outcome(), end.name());
    }
  }

  @Test
  void overFtpTheResultSaysTheFetchIsNotProved() {
    assertEquals("updated (over FTP: the server keeps no record of FTP downloads, so the fetch is not proved)",
        judge(End.SUCCESS, null, null, NEW, null).reason());
  }

  @Test
  void withoutANameMatchTheChangedMemberCarriesTheExpectedVersion() {
    Inventory before = new Inventory(List.of(new Inventory.Item("/fw/a", "A", "NIC", "1.0", true)));
    Inventory after = new Inventory(List.of(new Inventory.Item("/fw/a", "A", "NIC", "2.0", true)));
    assertEquals(true, Verdict.shows(before, after, "vendor/x.bin", "2.0"));
    assertEquals(false, Verdict.shows(before, before, "vendor/x.bin", "2.0"));
    assertEquals(false, Verdict.shows(before, after, "vendor/x.bin", "3.0"));
  }

  @Test
  void taskStatesMapToEnds() {
    assertEquals(End.SUCCESS, End.of("Completed"));
    assertEquals(End.FAILED, End.of("Exception"));
    assertEquals(End.CANCELLED, End.of("Cancelled"));
    assertEquals(End.SUSPENDED, End.of("Suspended"));
    assertEquals(End.INTERRUPTED, End.of("Interrupted"));
    assertEquals(End.USER_INTERVENTION, End.of("UserIntervention"));
    assertEquals(null, End.of("Running"));
    assertEquals(null, End.of("Pending"));
  }

  @Test
  void evidenceWithoutItsPartsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Verdict.Evidence("b", "h", URL, null, null, WHOLE, OLD, NEW, "x", null));
  }

  @Test
  void aStagedStepWithItsFetchAndTaskWholeIsStagedWithTheInventoryUnchanged() {
    Verdict.Evidence e = new Verdict.Evidence("10.0.0.5", "10.0.0.5", URL, End.SUCCESS, null, WHOLE, OLD, OLD, "hpe/ilo5_310.bin", "3.10");
    assertEquals(new Verdict(Outcome.UPDATED, Verdict.STAGED, "2.78", "2.78"), Verdict.staged(e));
  }

  @Test
  void aStagedStepThatWasNeverFetchedOrFailedFailsAtOnce() {
    Verdict.Evidence never = new Verdict.Evidence("10.0.0.5", "10.0.0.5", URL, End.SUCCESS, null, new FetchProof.Fetch(0, 0, 1000, false, false),
        OLD, OLD, "hpe/ilo5_310.bin", "3.10");
    assertEquals(Outcome.FAILED, Verdict.staged(never).outcome());
    Verdict.Evidence failed = new Verdict.Evidence("10.0.0.5", "10.0.0.5", URL, End.FAILED, "flash error", WHOLE, OLD, OLD, "hpe/ilo5_310.bin", "3.10");
    assertEquals("BMC 10.0.0.5 ended the update in failure: flash error", Verdict.staged(failed).reason());
  }
}
