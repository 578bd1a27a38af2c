package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.redfish.DeployFixture;
import io.smartupdate.redfish.FakeBmc;
import io.smartupdate.redfish.RedfishStub;
import io.smartupdate.testing.LaunchedServer;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A deploy killed with -9 once the BMC accepted the update, then {@code deploy --resume}: the update is followed, never sent twice. */
@Timeout(180)
class DeployResumeIT {
  @TempDir Path dir;
  private DeployFixture fixture;
  private Path passwordFile;

  @BeforeEach
  void start() throws Exception {
    fixture = new DeployFixture(dir, 128 * 1024);
    passwordFile = Files.writeString(dir.resolve("bmc-password"), FakeBmc.PASSWORD + "\n");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private List<String> deploy(RedfishStub stub, String... extra) {
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--user", FakeBmc.USER,
        "--password-file", passwordFile.toString(), "--bmc-ca", fixture.caPem.toString(), "--fetch-timeout", "20", "--timeout", "60",
        "--bmc", stub.address()));
    args.addAll(List.of(extra));
    return args;
  }

  /** Starts deploy as its own process and kills it with -9 once the BMC accepted and the server recorded the step as accepted; answers the run id. */
  private String killedOnceAccepted(RedfishStub stub) throws Exception {
    List<String> command = new ArrayList<>(List.of(LaunchedServer.LAUNCHER.toString()));
    command.addAll(deploy(stub, "--image", DeployFixture.IMAGE));
    Path out = dir.resolve("deploy.out");
    Process deploy = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      for (long end = System.nanoTime() + 60_000_000_000L; ; Thread.sleep(50)) {
        assertTrue(System.nanoTime() < end && deploy.isAlive(), "the update was never accepted and recorded: " + Files.readString(out));
        JsonNode runs = get("/api/deploys").path("runs");
        if (stub.bmc.lastSimpleUpdate == null || runs.isEmpty()) continue;
        String state = get("/api/deploys/" + runs.get(0).path("id").asText()).path("steps").get(0).path("state").asText();
        if (List.of("sent", "fetching", "flashing", "verifying").contains(state)) break;
      }
      assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(deploy.pid())).start().waitFor());
      assertTrue(deploy.waitFor(20, TimeUnit.SECONDS));
    } finally {
      deploy.destroyForcibly();
    }
    JsonNode run = get("/api/deploys").path("runs").get(0);
    assertEquals("running", run.path("state").asText(), "a killed run is left running: " + run);
    return run.path("id").asText();
  }

  @Test
  void aKilledRunResumesFollowingTheAcceptedUpdateWithoutSendingItAgain() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    String id = killedOnceAccepted(stub);
    JsonNode accepted = get("/api/deploys/" + id).path("steps").get(0);
    assertTrue(accepted.path("taskUri").asText().startsWith("/redfish/v1/TaskService/Tasks/"), "the task is recorded: " + accepted);
    stub.bmc.stall = false; // the flash goes on without the dead process, as on a real BMC
    CliRun resumed = CliRun.of(deploy(stub, "--resume", id).toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("following it, not sending it again"), resumed.out());
    assertTrue(resumed.err().contains("smartupdate: run " + id + " resumed"), resumed.err());
    assertEquals(1, stub.bmc.simpleUpdates.get(), "SimpleUpdate was sent once, before the kill");
    JsonNode run = get("/api/deploys/" + id);
    assertEquals("done", run.path("state").asText(), run.toString());
    JsonNode step = run.path("steps").get(0);
    assertEquals("done", step.path("state").asText(), step.toString());
    assertEquals("Integrated Dell Remote Access Controller=1.00, BIOS=2.19.1", step.path("before").asText(), step.toString());
    assertTrue(step.path("reason").asText().startsWith("updated (resumed: "), step.toString());
    assertEquals("2.00", step.path("after").asText(), step.toString());
    assertEquals("updated", step.path("result").asText(), step.toString());
    JsonNode line = get("/api/deploys").path("runs").get(0);
    assertEquals(1, line.path("counts").path("done").asInt(), line.toString());
    assertEquals(1, line.path("nodes").asInt(), line.toString());
  }

  @Test
  void aResumeIsRefusedWhenTheImageChangedSinceTheRunStarted() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    String id = killedOnceAccepted(stub);
    Samples.write(fixture.server.repo().resolve(DeployFixture.IMAGE), 64 * 1024, 311);
    CliRun refused = CliRun.of(deploy(stub, "--resume", id).toArray(String[]::new));
    assertEquals(1, refused.code(), refused.out() + refused.err());
    assertEquals(1, refused.err().lines().filter(l -> l.startsWith("smartupdate: ")).count(), refused.err());
    assertTrue(refused.err().contains("cannot resume run " + id + ": image " + DeployFixture.IMAGE + " changed since the run started (sha-256 "),
        refused.err());
    assertEquals(1, stub.bmc.simpleUpdates.get(), "nothing was sent on the refused resume");
  }

  private JsonNode get(String path) throws Exception {
    return Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, path).body());
  }
}
