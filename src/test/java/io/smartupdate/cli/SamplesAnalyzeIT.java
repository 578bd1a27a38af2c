package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on the committed firmware-samples manifest, analyze against iLO 5, iLO 6, iDRAC 9
 * and OpenBMC stubs, then the same fleet read back: /api/compliance and the smartupdate_components
 * gauge count the same rows.
 */
@Timeout(180)
class SamplesAnalyzeIT {
  @TempDir Path dir;

  @Test
  void theSamplesAnalyzeAgainstFourDialectsAndTheApiAndGaugeAgree() throws Exception {
    try (DeployFixture bmcs = new DeployFixture(dir.resolve("bmcs"), 1024);
         TestServer server = TestServer.start(dir.resolve("server"), c -> c.repo(Path.of("firmware-samples").toAbsolutePath()))) {
      RedfishStub ilo5 = bmcs.stub(FakeBmc.Dialect.ILO5, b -> {
        b.installed("3.00");
        b.biosVersion = "U46 v2.80 (01/10/2026)";
      });
      RedfishStub ilo6 = bmcs.stub(FakeBmc.Dialect.ILO6, b -> b.biosVersion = "U46 v2.90 (03/15/2026)");
      RedfishStub idrac = bmcs.stub(FakeBmc.Dialect.IDRAC9, b -> {
        b.installed("7.20.10.00");
        b.extraMembers.add(FakeBmc.dell(FakeBmc.item("Installed-101447-235.1.162.0__NIC.Slot.1-1", "Broadcom NetXtreme E-Series",
            "235.1.162.0"), "101447", "FRMW", "14e4:16d7:14e4:1402"));
      });
      RedfishStub openbmc = bmcs.stub(FakeBmc.Dialect.OPENBMC, b -> b.extraMembers.add(FakeBmc.item("bmc", "bmc", "2.15.1")));
      awaitFiveComponents(server);
      Path password = Files.writeString(dir.resolve("pw"), FakeBmc.PASSWORD + "\n");
      List<String> args = new ArrayList<>(List.of("analyze", "--port", String.valueOf(server.port(Scheme.HTTP)),
          "--data", server.dir().resolve("data").toString(), "--logdir", dir.resolve("logs").toString(), "--user", FakeBmc.USER,
          "--password-file", password.toString(), "--bmc-ca", bmcs.caPem.toString(), "--csv"));
      for (RedfishStub stub : List.of(ilo5, ilo6, idrac, openbmc)) args.addAll(List.of("--bmc", stub.address()));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, run.code(), run.out() + run.err());
      Map<String, String> actions = new HashMap<>();
      run.out().lines().skip(1).forEach(l -> {
        String[] f = l.split(",");
        actions.put(stubOf(l, ilo5, ilo6, idrac, openbmc) + "/" + f[1], f[5]);
      });
      assertEquals("update", actions.get("ilo5/hpe-ilo5"), run.out());
      assertEquals("update", actions.get("ilo5/hpe-rom-u46"), run.out());
      assertEquals("up-to-date", actions.get("ilo6/hpe-rom-u46"), run.out());
      assertEquals("not-applicable", actions.get("ilo6/hpe-ilo5"), run.out());
      assertEquals("downgrade", actions.get("idrac/dell-idrac9"), run.out());
      assertEquals("up-to-date", actions.get("idrac/bcm-netxtreme-235"), run.out());
      assertEquals("update", actions.get("openbmc/openbmc"), run.out());
      agree(server);
    }
  }

  private static String stubOf(String line, RedfishStub ilo5, RedfishStub ilo6, RedfishStub idrac, RedfishStub openbmc) {
    if (line.startsWith("bmc-" + ilo5.address() + ",")) return "ilo5";
    if (line.startsWith("bmc-" + ilo6.address() + ",")) return "ilo6";
    if (line.startsWith("bmc-" + idrac.address() + ",")) return "idrac";
    return line.startsWith("bmc-" + openbmc.address() + ",") ? "openbmc" : "?";
  }

  /** The samples are hashed in the background; the baseline offers a component once its file is proven. */
  private static void awaitFiveComponents(TestServer server) throws Exception {
    for (long end = System.nanoTime() + 60_000_000_000L; ; Thread.sleep(100)) {
      JsonNode baseline = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/compliance").body());
      if (baseline.has("rows")) {
        JsonNode list = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/baselines/default").body());
        if (list.path("components").size() == 5) return;
      }
      assertTrue(System.nanoTime() < end, "the samples' baseline never offered its five components");
    }
  }

  private static void agree(TestServer server) throws Exception {
    JsonNode compliance = Json.MAPPER.readTree(server.getString(Scheme.HTTP, "/api/compliance").body());
    assertEquals(4, compliance.path("nodes").asInt());
    Map<String, Integer> rows = new HashMap<>();
    compliance.path("rows").forEach(r -> rows.merge(r.path("action").asText(), 1, Integer::sum));
    Map<String, Integer> gauge = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^smartupdate_components\\{action=\"([a-z-]+)\"} (\\S+)").matcher(server.getString(Scheme.HTTP, "/metrics").body());
    while (m.find()) if (Double.parseDouble(m.group(2)) > 0) gauge.put(m.group(1), (int) Double.parseDouble(m.group(2)));
    assertEquals(20, rows.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(rows, gauge, "smartupdate_components counts the rows of /api/compliance");
  }
}
