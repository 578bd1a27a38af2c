package io.smartupdate.redfish;

import io.smartupdate.baseline.ApplyTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The push for services that take no SimpleUpdate (OpenBMC often): the image, fetched from the
 * server on the BMC's own one-time URL (so the record of downloads proves it), streamed to
 * {@code MultipartHttpPushUri} (an {@code UpdateParameters} JSON part and an {@code UpdateFile}
 * part) or, failing that, as the raw body to {@code HttpPushUri}.
 */
final class PushUpload {
  private final RedfishClient client;
  private final ServerApi server;
  private final Duration timeout;

  PushUpload(RedfishClient client, ServerApi server, Duration timeout) {
    this.client = client;
    this.server = server;
    this.timeout = timeout;
  }

  /** Pushes the image; the multipart {@code UpdateParameters} carry the Targets and {@code applyTime} (null for none). */
  RedfishClient.Response push(Discovery discovery, ServerApi.Ticket ticket, ServerApi.Image image, List<String> targets, ApplyTime applyTime) {
    HttpRequest.BodyPublisher file = HttpRequest.BodyPublishers.ofInputStream(() -> open(ticket));
    String name = image.path().substring(image.path().lastIndexOf('/') + 1).replace("\"", "");
    RedfishClient.Response response;
    Duration upload = timeout;
    if (discovery.multipartPushUri() != null) {
      String boundary = "su-" + UUID.randomUUID();
      String parameters;
      try {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Targets", targets);
        if (applyTime != null) values.put("@Redfish.OperationApplyTime", applyTime.name());
        parameters = RedfishClient.JSON.writeValueAsString(values);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"UpdateParameters\"\r\nContent-Type: application/json\r\n\r\n"
          + parameters + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"UpdateFile\"; filename=\"" + name
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
      String tail = "\r\n--" + boundary + "--\r\n";
      response = client.upload(discovery.multipartPushUri(), "multipart/form-data; boundary=" + boundary,
          HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8), file,
              HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)), upload);
    } else {
      response = client.upload(discovery.httpPushUri(), "application/octet-stream", file, upload);
    }
    if (!response.ok()) {
      throw new DeployFailure("BMC " + client.bmc().address() + " refused the pushed image (" + response.status() + "): " + response.message());
    }
    return response;
  }

  private InputStream open(ServerApi.Ticket ticket) {
    try {
      return server.openImage(ticket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image from the server for the push: " + e.getMessage(), e);
    }
  }
}
