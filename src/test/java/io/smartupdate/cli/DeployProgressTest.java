package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.core.Phase;
import io.smartupdate.redfish.BmcResult;
import io.smartupdate.redfish.BmcResult.Outcome;
import io.smartupdate.redfish.DeployEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary table, the plain lines and a live line, without a terminal. */
class DeployProgressTest {
  @Test
  void theTableAlignsItsColumnsAndCountsTheFinished() {
    String table = DeployProgress.table(List.of(
        new BmcResult("10.0.0.5", "bmc-10.0.0.5", "2.78", "3.10", Outcome.UPDATED, "updated"),
        new BmcResult("10.0.0.16:8443", "bmc-10.0.0.16:8443", "-", "-", Outcome.FAILED, "BMC 10.0.0.16:8443 refused the login")));
    List<String> lines = table.lines().toList();
    assertEquals("BMC             BEFORE  AFTER  RESULT   REASON", lines.get(0));
    assertEquals("10.0.0.5        2.78    3.10   updated  updated", lines.get(1));
    assertEquals("10.0.0.16:8443  -       -      failed   BMC 10.0.0.16:8443 refused the login", lines.get(2));
    assertEquals("1 of 2 BMCs finished", lines.get(3));
  }

  @Test
  void plainLinesDropRepeatsAndShowBytesByTenths() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeployProgress plain = DeployProgress.create(DeployProgress.Mode.PLAIN, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    plain.event(new DeployEvent("b", "n", Phase.FLASHING, 40, null, null, null));
    plain.event(new DeployEvent("b", "n", Phase.FLASHING, 40, null, null, null));
    plain.event(new DeployEvent("b", "n", Phase.DOWNLOADING, 41, 41L, 100L, null));
    plain.event(new DeployEvent("b", "n", Phase.DOWNLOADING, 43, 43L, 100L, null));
    plain.event(new DeployEvent("b", "n", Phase.DOWNLOADING, 55, 55L, 100L, null));
    assertEquals(List.of("b  flashing 40%", "b  downloading 40%  41 B", "b  downloading 50%  55 B"),
        bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void aLiveLineFollowsTheBytesWhileDownloading() {
    DeployProgress.LiveLine line = new DeployProgress.LiveLine("10.0.0.5");
    line.update(new DeployEvent("10.0.0.5", "n", Phase.DOWNLOADING, 0, 512L * 1024, 1024L * 1024, "BMC accepted SimpleUpdate (202)"));
    String shown = line.render(200);
    assertTrue(shown.contains("[##########          ] 50%") && shown.contains("512.0 KiB") && shown.contains("/s"), shown);
    line.update(new DeployEvent("10.0.0.5", "n", Phase.FLASHING, 20, null, null, null));
    assertTrue(line.render(200).contains("[####                ] 20%") && !line.render(200).contains("/s"), line.render(200));
    assertEquals(30, line.render(30).length() + 1, "clipped to the terminal's width");
  }
}
