package io.smartupdate.redfish;

import java.net.URI;

/**
 * The truth about one update, weighed from everything known once the BMC settled: how its task
 * ended, the server's proof of fetch, the inventory before and after, and the version expected.
 * A BMC's word alone is never the verdict. Pure: no I/O, so every case is a plain unit test.
 */
record Verdict(BmcResult.Outcome outcome, String reason, String before, String after) {

  /**
   * What the verdict weighs.
   *
   * @param bmc the BMC's address, as messages name it
   * @param host the BMC's host, for the reachability hint
   * @param url the image URL the BMC was given, without its token
   * @param end how the task ended
   * @param message the BMC's own words at the end, or null
   * @param fetch the proof of fetch, or null when the protocol leaves none (FTP)
   * @param expected the version the image installs, or null when not known (then any change counts)
   */
  record Evidence(String bmc, String host, String url, TaskFollower.End end, String message, FetchProof.Fetch fetch,
      Inventory before, Inventory after, String image, String expected) {
    Evidence {
      if (bmc == null || url == null || end == null || before == null || after == null || image == null) {
        throw new IllegalArgumentException("evidence: bmc, url, end, before, after and image are required");
      }
    }
  }

  /** Said of a success without proof of fetch; a resumed step says why instead ({@link #resumed}). */
  static final String FTP_UNPROVED = " (over FTP: the server keeps no record of FTP downloads, so the fetch is not proved)";

  /** The same verdict for a step resumed after its process died: the fetch was the dead process's to watch. */
  Verdict resumed() {
    return new Verdict(outcome, reason.replace(FTP_UNPROVED, " (resumed: the fetch was watched by the process before the resume)"), before, after);
  }

  /** The result of a step staged for the host's next restart, not verified (--reboot never). */
  static final String STAGED = "staged; applies at next host reboot";

  /**
   * A step whose image applies only once the host restarts, before that restart: a failed fetch or
   * task is a failure as always; otherwise it is staged, with the inventory's versions unchanged.
   */
  static Verdict staged(Evidence e) {
    Verdict failed = failure(e);
    if (failed != null) return failed;
    String[] versions = Inventory.versions(e.before(), e.after(), e.image());
    return new Verdict(BmcResult.Outcome.UPDATED, STAGED, versions[0], versions[1]);
  }

  static Verdict judge(Evidence e) {
    Verdict failed = failure(e);
    if (failed != null) return failed;
    String[] versions = Inventory.versions(e.before(), e.after(), e.image());
    String before = versions[0];
    String after = versions[1];
    String said = e.message() == null ? "" : "; it says: " + e.message();
    boolean changed = e.after().differsFrom(e.before());
    String ftp = e.fetch() == null ? FTP_UNPROVED : "";
    if (e.expected() != null && reached(e)) return new Verdict(BmcResult.Outcome.UPDATED, "updated" + ftp, before, after);
    if (e.expected() != null && changed) {
      return failed("BMC " + e.bmc() + " now shows " + after + ", not the expected " + e.expected() + said, before, after);
    }
    if (e.expected() == null && changed) return new Verdict(BmcResult.Outcome.UPDATED, "updated" + ftp, before, after);
    if (e.end() == TaskFollower.End.SUCCESS) {
      return new Verdict(BmcResult.Outcome.UPDATED, "the BMC reported success; the inventory still shows " + after
          + " (activation may need a reset)" + ftp, before, after);
    }
    return new Verdict(BmcResult.Outcome.NOT_UPDATED, "BMC " + e.bmc() + " accepted the update but did not apply it: "
        + (e.message() == null ? "no task" : e.message()) + ", and its inventory is unchanged (" + after + ") after it settled", before, after);
  }

  /** What fails a step whatever the inventory says: no fetch, half a fetch, a task that ended badly. Null when none of these. */
  private static Verdict failure(Evidence e) {
    String[] versions = Inventory.versions(e.before(), e.after(), e.image());
    String before = versions[0];
    String after = versions[1];
    String said = e.message() == null ? "" : "; it says: " + e.message();
    if (e.fetch() != null && e.fetch().requests() == 0) return failed(neverFetched(e), before, after);
    if (e.fetch() != null && !e.fetch().complete()) {
      return failed("BMC " + e.bmc() + " fetched only " + e.fetch().sent() + " of " + e.fetch().size() + " bytes of " + e.url() + said, before, after);
    }
    String words = e.message() == null ? "no message" : e.message();
    switch (e.end()) {
      case FAILED:
        return failed("BMC " + e.bmc() + " ended the update in failure: " + words, before, after);
      case CANCELLED:
        return failed("BMC " + e.bmc() + " cancelled the update (task Cancelled: " + words + "); its inventory shows " + after, before, after);
      case SUSPENDED:
        return failed("BMC " + e.bmc() + " suspended the update (task Suspended: " + words + "): resume or cancel it on the BMC, then deploy again",
            before, after);
      case INTERRUPTED:
        return failed("BMC " + e.bmc() + " reports the update interrupted (task Interrupted: " + words + "): it did not finish; check the BMC,"
            + " then deploy again", before, after);
      case USER_INTERVENTION:
        return failed("BMC " + e.bmc() + " waits for an operator (task UserIntervention: " + words + "): act on the BMC, then deploy again",
            before, after);
      default:
        return null;
    }
  }

  /** Whether {@code after} shows the update: the expected version when known, else any change from {@code before}. */
  static boolean shows(Inventory before, Inventory after, String image, String expected) {
    if (expected == null) return after.differsFrom(before);
    return reached(new Evidence("-", "-", "-", TaskFollower.End.GONE, null, null, before, after, image, expected));
  }

  /** Whether the member this image is for (or, when none matches by name, any member that changed) shows the expected version. */
  static boolean reached(Evidence e) {
    Inventory.Item target = e.after().matching(e.image());
    if (target != null) return e.expected().equals(target.version());
    return e.after().items().stream().anyMatch(i -> e.expected().equals(i.version()) && !e.before().items().contains(i));
  }

  private static Verdict failed(String reason, String before, String after) {
    return new Verdict(BmcResult.Outcome.FAILED, reason, before, after);
  }

  private static String neverFetched(Evidence e) {
    URI url = URI.create(e.url());
    String hostPort = url.getHost() + ":" + url.getPort();
    return "BMC " + e.host() + " accepted the update but never fetched " + e.url() + ": check that " + e.host() + " can reach " + hostPort
        + " (firewall, route, proxy)";
  }
}
