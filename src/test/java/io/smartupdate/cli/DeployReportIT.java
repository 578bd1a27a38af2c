package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a real single-image deploy against FakeBmc stubs records its run, and {@code report deploy RUN} reads it back. */
@Timeout(120)
class DeployReportIT {
  @TempDir Path dir;

  @Test
  void aSingleImageDeployIsReportedStepByStep() throws Exception {
    try (DeployFixture fixture = new DeployFixture(dir, 128 * 1024)) {
      Path password = Files.writeString(dir.resolve("bmc-password"), FakeBmc.PASSWORD + "\n");
      RedfishStub good = fixture.stub(FakeBmc.Dialect.ILO5, b -> {});
      RedfishStub bad = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.refuseLogin = true);
      String port = String.valueOf(fixture.server.port(Scheme.HTTP));
      CliRun deploy = CliRun.of("deploy", "--port", port, "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("logs").toString(),
          "--user", FakeBmc.USER, "--password-file", password.toString(), "--image", DeployFixture.IMAGE, "--bmc-ca", fixture.caPem.toString(),
          "--fetch-timeout", "10", "--timeout", "30", "--bmc", good.address(), "--bmc", bad.address());
      assertEquals(1, deploy.code(), deploy.out() + deploy.err());

      JsonNode runs = Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, "/api/deploys").body()).path("runs");
      assertEquals(1, runs.size(), runs.toString());
      String id = runs.path(0).path("id").asText();
      CliRun csv = CliRun.of("report", "deploy", id, "--format", "csv", "--port", port, "--data", dir.resolve("data").toString());
      assertEquals(0, csv.code(), csv.err());
      List<String> lines = csv.out().lines().toList();
      assertEquals("node,component,file,before,after,expected,result,reason,duration", lines.get(0));
      assertEquals(3, lines.size(), csv.out());
      assertTrue(lines.stream().anyMatch(l -> l.contains(good.address()) && l.contains("," + DeployFixture.IMAGE + ",") && l.contains(",done")), csv.out());
      assertTrue(lines.stream().anyMatch(l -> l.contains(bad.address()) && !l.contains(",done")), csv.out());

      CliRun junit = CliRun.of("report", "deploy", id, "--format", "junit", "--port", port, "--data", dir.resolve("data").toString());
      // The BMC that refused the login did not update: its testcase is a failure, whatever state the run left its step in.
      assertTrue(junit.out().contains("tests=\"2\" failures=\"1\" skipped=\"0\""), junit.out());
      assertTrue(junit.out().matches("(?s).*<testcase classname=\"[^\"]*" + bad.address().replace(".", "\\.") + "\"[^>]*>\\s*<failure.*"), junit.out());
    }
  }
}
