package io.smartupdate.redfish;

import io.smartupdate.redfish.FakeBmc.Phase;
import io.smartupdate.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** A stub BMC fetching its image for real, as a BMC's firmware does: whole, in ranges, or over FTP; then the sha-256 check. */
final class ImageFetch {
  private final FakeBmc bmc;

  ImageFetch(FakeBmc bmc) {
    this.bmc = bmc;
  }

  /** Downloads the image for real, checks it against the server's catalog, then flashes (or fails as configured). */
  void run(String imageUri) {
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(BmcTls.insecure()).connectTimeout(Duration.ofSeconds(5)).build();
      if (imageUri.startsWith("ftp:")) {
        fetchOverFtp(imageUri);
        return;
      }
      if (bmc.rangedFetch) {
        fetchInRanges(http, imageUri);
        return;
      }
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(imageUri)).build(), HttpResponse.BodyHandlers.ofInputStream());
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (bmc.cutHalfway && count + n >= length / 2) {
            count += (int) (length / 2 - count);
            break; // closing the stream now aborts the transfer half way
          }
          sha.update(buffer, 0, n);
          count += n;
        }
      }
      bmc.fetched = count;
      if (bmc.cutHalfway) {
        bmc.fail("Transfer of image '" + imageUri.replaceAll("\\?.*", "") + "' failed: connection closed");
        return;
      }
      bmc.fetchedSha = HexFormat.of().formatHex(sha.digest());
      // The catalog of the same origin, with the same session query: a hand-off port serves it too.
      URI uri = URI.create(imageUri);
      String catalog = http.send(HttpRequest.newBuilder(uri.resolve("/api/catalog" + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      String path = uri.getPath().substring("/firmware/".length());
      boolean known = false;
      for (var image : FakeBmc.JSON.readTree(catalog).path("images")) {
        if (image.path("path").asText().equals(path)) known = image.path("sha256").asText().equals(bmc.fetchedSha);
      }
      if (!known) {
        bmc.fail("Image verification failed: checksum mismatch");
        return;
      }
      bmc.phase = Phase.FLASHING;
    } catch (Exception e) {
      bmc.fail("Transfer of image failed: " + e);
    }
  }

  /** The JDK's own ftp: URL client (anonymous, passive), as a BMC's firmware would. */
  private void fetchOverFtp(String imageUri) throws Exception {
    byte[] image;
    try (InputStream in = URI.create(imageUri).toURL().openStream()) {
      image = in.readAllBytes();
    }
    bmc.fetched = image.length;
    bmc.fetchedSha = Samples.sha256(image);
    bmc.phase = bmc.fetchedSha.equals(bmc.expectedSha) ? Phase.FLASHING : Phase.FAILED;
    bmc.message = bmc.phase == Phase.FAILED ? "Image verification failed: checksum mismatch" : null;
  }

  /** Some BMCs fetch an image in pieces: two Range requests, each half, then the same catalog check. */
  private void fetchInRanges(HttpClient http, String imageUri) throws Exception {
    URI uri = URI.create(imageUri);
    long size = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).headers().firstValueAsLong("Content-Length").orElseThrow();
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    for (String range : List.of("bytes=0-" + (size / 2 - 1), "bytes=" + size / 2 + "-")) {
      HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(uri).header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (part.statusCode() != 206) throw new IllegalStateException("range answered " + part.statusCode());
      image.write(part.body());
    }
    bmc.fetched = image.size();
    bmc.fetchedSha = Samples.sha256(image.toByteArray());
    bmc.phase = bmc.fetchedSha.equals(bmc.expectedSha) ? Phase.FLASHING : Phase.FAILED;
    bmc.message = bmc.phase == Phase.FAILED ? "Image verification failed: checksum mismatch" : null;
  }
}
