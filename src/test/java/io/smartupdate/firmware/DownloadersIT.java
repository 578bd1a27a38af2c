package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The downloaders operators and host agents use besides curl, over HTTP and HTTPS (verified
 * against the server's certificate): wget resuming a cut file, and aria2c fetching one file in
 * parallel ranges. Each must end with the catalog's SHA-256.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DownloadersIT {
  private static final int SIZE = 8 * 1024 * 1024;
  private static final String PATH = "dell/bios_2.19.1.bin";
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void wgetContinuesACutDownloadToTheCatalogsDigest(Scheme scheme) throws Exception {
    String wget = Tools.require("wget").toString();
    try (TestServer server = TestServer.start(dir)) {
      byte[] image = Samples.write(server.repo().resolve(PATH), SIZE, 11);
      Path out = dir.resolve("wget.bin");
      Files.write(out, Arrays.copyOf(image, 1_000_003)); // what an interrupted transfer leaves behind
      Path log = dir.resolve("wget.log");
      int exit = Tools.run(60, log, wget, "-q", "-c", "--ca-certificate=" + dir.resolve("certs/server.crt"), "-O", out.toString(),
          server.uri(scheme, "/firmware/" + PATH).toString());
      assertEquals(0, exit, Files.readString(log));
      assertEquals(catalogDigest(server, scheme), Samples.sha256(Files.readAllBytes(out)));
      List<JsonNode> requests = downloads(server, scheme);
      assertEquals(1, requests.size(), "one request, resumed: " + requests);
      assertEquals("bytes=1000003-", requests.get(0).get("range").asText(), "wget asked only for the rest");
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aria2cFetchesInParallelRangesToTheCatalogsDigest(Scheme scheme) throws Exception {
    String aria2c = Tools.require("aria2c").toString();
    try (TestServer server = TestServer.start(dir)) {
      Samples.write(server.repo().resolve(PATH), SIZE, 12);
      Path log = dir.resolve("aria2c.log");
      int exit = Tools.run(60, log, aria2c, "--quiet=true", "--async-dns=false", "--split=4", "--max-connection-per-server=4",
          "--min-split-size=1M",
          // Paced, so that on loopback the first connection cannot deliver the whole file before the
          // others have finished their handshakes: the split into ranges then always happens.
          "--max-download-limit=16M", "--ca-certificate=" + dir.resolve("certs/server.crt"), "--dir=" + dir, "--out=aria2c.bin",
          server.uri(scheme, "/firmware/" + PATH).toString());
      assertEquals(0, exit, Files.readString(log));
      assertEquals(catalogDigest(server, scheme), Samples.sha256(Files.readAllBytes(dir.resolve("aria2c.bin"))));
      List<JsonNode> requests = downloads(server, scheme);
      // Its first connection is a plain GET it cuts once the size is known; the other parts are ranges.
      assertTrue(requests.stream().filter(d -> d.get("range").asText("").startsWith("bytes=")).count() >= 2,
          "aria2c split the file into ranges: " + requests);
    }
  }

  private static String catalogDigest(TestServer server, Scheme scheme) throws Exception {
    for (JsonNode image : Json.MAPPER.readTree(server.getString(scheme, "/api/catalog").body()).get("images")) {
      if (image.get("path").asText().equals(PATH)) return image.get("sha256").asText();
    }
    throw new AssertionError(PATH + " is not in the catalog");
  }

  /** The ended firmware responses that carried bytes (aria2c may open and drop a probe request). */
  private static List<JsonNode> downloads(TestServer server, Scheme scheme) throws Exception {
    for (long deadline = System.nanoTime() + 10_000_000_000L; ; Thread.sleep(50)) {
      JsonNode listed = Json.MAPPER.readTree(server.getString(scheme, "/api/downloads?path=/firmware/" + PATH).body()).get("downloads");
      List<JsonNode> all = new ArrayList<>();
      listed.forEach(all::add);
      if (all.stream().noneMatch(d -> d.get("result").asText().equals("in_flight")) || System.nanoTime() > deadline) {
        return all.stream().filter(d -> d.get("sent").asLong() > 0).toList();
      }
    }
  }
}
