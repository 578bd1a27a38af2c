package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** A real curl resumes a partial download with -C - and ends with the catalog's SHA-256. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CurlResumeIT {
  private static final int SIZE = 4 * 1024 * 1024;
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void curlResumesAPartialDownloadAndMatchesTheCatalog(Scheme scheme) throws Exception {
    String curl = Tools.require("curl").toString();
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve("hpe/ilo5_310.bin"), SIZE, 7);
      Path certificate = dir.resolve("certs/server.crt");
      String url = server.uri(scheme, "/firmware/hpe/ilo5_310.bin").toString();
      Path out = dir.resolve("download.bin");
      Path log = dir.resolve("curl.log");

      // What an interrupted transfer leaves behind: the first bytes of the file, cut at an odd offset.
      // (curl's --limit-rate does not hold on loopback, so the cut is made with a range request.)
      int first = Tools.run(30, log, curl, "-sS", "--fail", "--cacert", certificate.toString(), "-r", "0-1000002",
          "-o", out.toString(), url);
      assertEquals(0, first, Files.readString(log));
      assertEquals(1_000_003, Files.size(out));

      int resumed = Tools.run(60, log, curl, "-sS", "--fail", "--cacert", certificate.toString(), "-C", "-",
          "-o", out.toString(), url);
      assertEquals(0, resumed, Files.readString(log));
      assertEquals(SIZE, Files.size(out));

      String expected = null;
      for (JsonNode image : Json.MAPPER.readTree(server.getString(scheme, "/api/catalog").body()).get("images")) {
        if (image.get("path").asText().equals("hpe/ilo5_310.bin")) expected = image.get("sha256").asText();
      }
      assertEquals(expected, Samples.sha256(Files.readAllBytes(out)));
    }
  }
}
