package io.smartupdate.redfish;

import java.time.Duration;
import java.util.List;

/**
 * What deploy does to every BMC.
 *
 * @param image the image's path in the repository
 * @param targets SimpleUpdate Targets (URIs), empty for the BMC's choice
 * @param protocol http, https or ftp, or null for the best the BMC accepts
 * @param fetchTimeout how long a BMC that accepted may take to start fetching
 * @param timeout how long one BMC request, a task, or a reset may take
 * @param parallel BMCs at once
 */
public record DeployOptions(String image, List<String> targets, String protocol, Duration fetchTimeout, Duration timeout, int parallel,
    boolean subscribe, boolean dryRun) {
  public DeployOptions {
    if (image == null || image.isBlank()) throw new IllegalArgumentException("image: required (--image PATH-IN-REPO)");
    targets = List.copyOf(targets);
    if (parallel < 1) throw new IllegalArgumentException("parallel: must be 1 or more");
    if (fetchTimeout.isNegative() || fetchTimeout.isZero()) throw new IllegalArgumentException("fetchTimeout: must be positive");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be positive");
  }

  /** One HTTP request to a BMC: --timeout, but never more than a minute (a task may take --timeout; one answer may not). */
  Duration requestTimeout() {
    return timeout.compareTo(Duration.ofMinutes(1)) < 0 ? timeout : Duration.ofMinutes(1);
  }
}
