package io.smartupdate.redfish;

import java.time.Duration;
import java.util.List;

/**
 * What deploy does to every BMC.
 *
 * @param image the image's path in the repository; null when each node's steps come from its baseline plan
 * @param targets SimpleUpdate Targets (URIs), empty for the BMC's choice
 * @param expectedVersion the version the image installs, judged against the inventory after; null when not known
 * @param protocol the transfer protocol, or null for the best the BMC accepts
 * @param fetchTimeout how long a BMC that accepted may take to start fetching
 * @param timeout how long one BMC request, a task, a busy BMC or a reset may take
 * @param parallel BMCs at once
 * @param rollout canaries and the failure limit
 * @param pacing poll and settle intervals
 * @param reboot host reboots for steps that apply only once the host restarts
 */
public record DeployOptions(String image, List<String> targets, String expectedVersion, TransferProtocol protocol, Duration fetchTimeout,
    Duration timeout, int parallel, boolean subscribe, boolean dryRun, Rollout rollout, Pacing pacing, RebootPolicy reboot) {
  public DeployOptions {
    if (image != null && image.isBlank()) throw new IllegalArgumentException("image: blank (--image PATH-IN-REPO, or null for a baseline plan)");
    targets = List.copyOf(targets);
    if (parallel < 1) throw new IllegalArgumentException("parallel: must be 1 or more");
    if (fetchTimeout.isNegative() || fetchTimeout.isZero()) throw new IllegalArgumentException("fetchTimeout: must be positive");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be positive");
    if (rollout == null) throw new IllegalArgumentException("rollout: required (Rollout.ALL for none)");
    if (pacing == null) throw new IllegalArgumentException("pacing: required (Pacing.DEFAULT)");
    if (reboot == null) throw new IllegalArgumentException("reboot: required (RebootPolicy.IF_NEEDED by default)");
  }

  /** With the default rollout (all nodes, no failure limit) and pacing; {@code protocol} is http, https, ftp or null. */
  public DeployOptions(String image, List<String> targets, String protocol, Duration fetchTimeout, Duration timeout, int parallel,
      boolean subscribe, boolean dryRun) {
    this(image, targets, null, TransferProtocol.parse(protocol), fetchTimeout, timeout, parallel, subscribe, dryRun, Rollout.ALL, Pacing.DEFAULT, RebootPolicy.IF_NEEDED);
  }

  public DeployOptions withRollout(Rollout value) {
    return new DeployOptions(image, targets, expectedVersion, protocol, fetchTimeout, timeout, parallel, subscribe, dryRun, value, pacing, reboot);
  }

  public DeployOptions withPacing(Pacing value) {
    return new DeployOptions(image, targets, expectedVersion, protocol, fetchTimeout, timeout, parallel, subscribe, dryRun, rollout, value, reboot);
  }

  public DeployOptions withExpectedVersion(String value) {
    return new DeployOptions(image, targets, value, protocol, fetchTimeout, timeout, parallel, subscribe, dryRun, rollout, pacing, reboot);
  }

  public DeployOptions withReboot(RebootPolicy value) {
    return new DeployOptions(image, targets, expectedVersion, protocol, fetchTimeout, timeout, parallel, subscribe, dryRun, rollout, pacing, value);
  }

  /** The plan of a node without one of its own: the image given, or nothing. */
  List<Step> steps() {
    return image == null ? List.of() : List.of(new Step(image, expectedVersion, targets));
  }

  /** One HTTP request to a BMC: --timeout, but never more than a minute (a task may take --timeout; one answer may not). */
  Duration requestTimeout() {
    return timeout.compareTo(Duration.ofMinutes(1)) < 0 ? timeout : Duration.ofMinutes(1);
  }
}
