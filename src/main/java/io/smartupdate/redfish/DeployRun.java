package io.smartupdate.redfish;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a run shares across its nodes, looked up once: the server, the BMCs' HTTP client, each
 * step's image from one catalog read, whether the server has FTP on (one {@code /health}), the
 * gate that stops new work.
 */
record DeployRun(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Map<String, ServerApi.Image> images,
    boolean ftpOn, Gate gate, Map<String, List<Step>> plans) {

  /** {@code plans}: each node's steps by BMC address; a node not in it runs {@link DeployOptions#steps}. */
  static DeployRun lookup(ServerApi server, HttpClient http, DeployOptions options, DeployListener listener, Gate gate,
      Map<String, List<Step>> plans) {
    List<String> paths = Stream.concat(options.steps().stream(), plans.values().stream().flatMap(List::stream)).map(Step::image).distinct().toList();
    Map<String, ServerApi.Image> images = server.images(paths);
    return new DeployRun(server, http, options, listener, Map.copyOf(images), server.ports().ftp() > 0, gate, Map.copyOf(plans));
  }

  /** The steps {@code bmc} runs, in order. */
  List<Step> steps(Bmc bmc) {
    return plans.getOrDefault(bmc.address(), options.steps());
  }

  ServerApi.Image image(Step step) {
    return images.get(step.image());
  }
}
