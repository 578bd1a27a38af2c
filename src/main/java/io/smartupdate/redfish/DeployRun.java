package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

/**
 * What a run shares across its nodes, looked up once: the server, the BMCs' HTTP client, each
 * step's image from one catalog read, whether the server has FTP on (one {@code /health}), the
 * gate that stops new work, and the run as the server records it.
 */
record DeployRun(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Map<String, ServerApi.Image> images,
    boolean ftpOn, Gate gate, RunLog log) {

  /** Looks the run up and records it on the server: a new run, or run {@code resume} (null for a new one) continued. */
  static DeployRun lookup(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Gate gate, List<Bmc> bmcs,
      String resume) {
    Map<String, ServerApi.Image> images = server.images(options.steps().stream().map(Step::image).distinct().toList());
    boolean ftpOn = server.ports().ftp() > 0;
    RunLog log = resume != null ? RunLog.resume(server, resume, options, images, bmcs)
        : options.dryRun() ? RunLog.NONE : RunLog.create(server, options, images, bmcs);
    return new DeployRun(server, http, options, listener, Map.copyOf(images), ftpOn, gate, log);
  }

  ServerApi.Image image(Step step) {
    return images.get(step.image());
  }
}
