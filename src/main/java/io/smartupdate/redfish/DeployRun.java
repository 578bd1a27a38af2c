package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * What a run shares across its nodes, looked up once: the server, the BMCs' HTTP client, each
 * step's image from one catalog read, whether the server has FTP on (one {@code /health}), the
 * gate that stops new work.
 */
record DeployRun(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Map<String, ServerApi.Image> images,
    boolean ftpOn, Gate gate) {

  static DeployRun lookup(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Gate gate) {
    Map<String, ServerApi.Image> images = server.images(options.steps().stream().map(Step::image).distinct().toList());
    return new DeployRun(server, http, options, listener, Map.copyOf(images), server.ports().ftp() > 0, gate);
  }

  ServerApi.Image image(Step step) {
    return images.get(step.image());
  }
}
