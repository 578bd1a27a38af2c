package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a run shares across its nodes, looked up once: the server, the BMCs' HTTP client, each
 * step's image from one catalog read, whether the server has FTP on (one {@code /health}), the
 * gate that stops new work, and the run as the server records it.
 */
record DeployRun(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Map<String, ServerApi.Image> images,
    boolean ftpOn, Gate gate, RunLog log, Map<String, List<Step>> plans) {

  /**
   * Looks the run up and records it on the server, owned by this process for {@code lease}: a new run, or run
   * {@code resume} (null for a new one) continued, each node's steps then as the run recorded them.
   * {@code plans}: each node's steps by BMC address; a node not in it runs {@link DeployOptions#steps}.
   */
  static DeployRun lookup(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Gate gate, List<Bmc> bmcs,
      String resume, Map<String, List<Step>> plans, BaselineRun baseline, Duration lease) {
    ResumedRun prior = resume == null ? null : ResumedRun.read(server, resume, options, bmcs);
    Map<String, List<Step>> planned = prior == null ? plans : prior.plans();
    List<String> paths = Stream.concat(options.steps().stream(), planned.values().stream().flatMap(List::stream)).map(Step::image).distinct().toList();
    Map<String, ServerApi.Image> images = server.images(paths);
    if (prior != null) prior.checkImages(images);
    boolean ftpOn = server.ports().ftp() > 0;
    RunLog log = prior != null ? RunLog.resume(server, prior, RunLease.OWNER, lease)
        : options.dryRun() ? RunLog.NONE : RunLog.create(server, options, images, bmcs,
        bmc -> planned.getOrDefault(bmc.address(), options.steps()), baseline, RunLease.OWNER, lease);
    return new DeployRun(server, http, options, listener, Map.copyOf(images), ftpOn, gate, log, Map.copyOf(planned));
  }

  /** The steps {@code bmc} runs, in order. */
  List<Step> steps(Bmc bmc) {
    return plans.getOrDefault(bmc.address(), options.steps());
  }

  ServerApi.Image image(Step step) {
    return images.get(step.image());
  }
}
