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
import java.net.http.HttpResponse;
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
    return deploy(List.of(stub), extra);
  }

  private List<String> deploy(List<RedfishStub> stubs, String... extra) {
    List<String> args = new ArrayList<>(List.of("deploy", "--port", String.valueOf(fixture.server.port(Scheme.HTTP)),
        "--data", dir.resolve("data").toString(), "--logdir", dir.resolve("deploy-logs").toString(), "--user", FakeBmc.USER,
        "--password-file", passwordFile.toString(), "--bmc-ca", fixture.caPem.toString(), "--fetch-timeout", "20", "--timeout", "60"));
    for (RedfishStub stub : stubs) args.addAll(List.of("--bmc", stub.address()));
    args.addAll(List.of(extra));
    return args;
  }

  /** Starts deploy as its own process and answers it once {@code stubs.get(0)} accepted and the server recorded a step as accepted. */
  private Process acceptedIn(List<RedfishStub> stubs, String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of(LaunchedServer.LAUNCHER.toString()));
    command.addAll(deploy(stubs, extra));
    Path out = dir.resolve("deploy.out");
    Process deploy = LaunchedServer.withoutClassDataArchive(new ProcessBuilder(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      for (long end = System.nanoTime() + 60_000_000_000L; ; Thread.sleep(50)) {
        assertTrue(System.nanoTime() < end && deploy.isAlive(), "the update was never accepted and recorded: " + Files.readString(out));
        JsonNode runs = get("/api/deploys").path("runs");
        if (stubs.get(0).bmc.lastSimpleUpdate == null || runs.isEmpty()) continue;
        JsonNode steps = get("/api/deploys/" + runs.get(0).path("id").asText()).path("steps");
        boolean accepted = false;
        for (JsonNode step : steps) accepted |= List.of("sent", "fetching", "flashing", "verifying").contains(step.path("state").asText());
        if (accepted) return deploy;
      }
    } catch (Exception | AssertionError e) {
      deploy.destroyForcibly();
      throw e;
    }
  }

  /** Kills deploy with -9; answers its run's id, left running. */
  private String killed(Process deploy) throws Exception {
    try {
      assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(deploy.pid())).start().waitFor());
      assertTrue(deploy.waitFor(20, TimeUnit.SECONDS));
    } finally {
      deploy.destroyForcibly();
    }
    JsonNode run = get("/api/deploys").path("runs").get(0);
    assertTrue(List.of("running", "orphaned").contains(run.path("state").asText()), "a killed run is left running: " + run);
    return run.path("id").asText();
  }

  /** Starts deploy as its own process and kills it with -9 once the BMC accepted and the server recorded the step as accepted; answers the run id. */
  private String killedOnceAccepted(RedfishStub stub) throws Exception {
    return killed(acceptedIn(List.of(stub), "--image", DeployFixture.IMAGE));
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
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertEquals(1, refused.err().lines().filter(l -> l.startsWith("smartupdate: ")).count(), refused.err());
    assertTrue(refused.err().contains("cannot resume run " + id + ": image " + DeployFixture.IMAGE + " changed since the run started (sha-256 "),
        refused.err());
    assertEquals(1, stub.bmc.simpleUpdates.get(), "nothing was sent on the refused resume");
  }

  @Test
  void aLiveOwnerRefusesTheResumeNamingItAndOnceKilledItsRunShowsOrphanedAndIsTakenOver() throws Exception {
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    Process owner = acceptedIn(List.of(stub), "--image", DeployFixture.IMAGE, "--lease", "3");
    String id = get("/api/deploys").path("runs").get(0).path("id").asText();
    CliRun refused = CliRun.of(deploy(stub, "--resume", id).toArray(String[]::new));
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains("smartupdate: cannot resume run " + id + ": run " + id + " is driven by "), refused.err());
    assertTrue(refused.err().contains(":" + owner.pid() + ":"), "the owner is named, with its pid: " + refused.err());
    assertEquals(1, refused.err().lines().count(), refused.err());

    killed(owner);
    JsonNode run = get("/api/deploys/" + id);
    for (long end = System.nanoTime() + 20_000_000_000L; !run.path("state").asText().equals("orphaned"); Thread.sleep(100)) {
      assertTrue(System.nanoTime() < end, "the run never showed orphaned once its owner's lease ended: " + run);
      run = get("/api/deploys/" + id);
    }
    assertTrue(run.path("owner").asText().contains(":" + owner.pid() + ":"), run.toString());
    assertTrue(run.path("leaseUntil").isTextual(), run.toString());
    assertEquals("orphaned", get("/api/deploys").path("runs").get(0).path("state").asText(), "the list says so too");

    stub.bmc.stall = false;
    CliRun resumed = CliRun.of(deploy(stub, "--resume", id).toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertEquals(1, stub.bmc.simpleUpdates.get(), "SimpleUpdate was sent once, before the kill");
    JsonNode done = get("/api/deploys/" + id);
    assertEquals("done", done.path("state").asText(), done.toString());
    assertTrue(done.path("owner").asText().contains(":" + ProcessHandle.current().pid() + ":"), "the resumer owns the run: " + done);
  }

  @Test
  void aKilledBaselineRunResumesFollowingTheAcceptedStepAndRunningThePendingNode() throws Exception {
    baseline("2.00");
    RedfishStub first = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    RedfishStub second = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    String id = killed(acceptedIn(List.of(first, second), "--baseline", "idrac", "--parallel", "1"));
    JsonNode before = get("/api/deploys/" + id);
    assertEquals("idrac", before.path("baseline").asText(), before.toString());
    assertEquals(64, before.path("baselineDigest").asText().length(), before.toString());
    assertEquals(0, second.bmc.simpleUpdates.get(), "--parallel 1: the second node waits for the first");
    first.bmc.stall = false;
    CliRun resumed = CliRun.of(deploy(List.of(first, second), "--resume", id).toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("following it, not sending it again"), resumed.out());
    assertEquals(1, first.bmc.simpleUpdates.get(), "the accepted step is followed, never sent twice");
    assertEquals(1, second.bmc.simpleUpdates.get(), "the pending node runs");
    JsonNode run = get("/api/deploys/" + id);
    assertEquals("done", run.path("state").asText(), run.toString());
    for (JsonNode step : run.path("steps")) {
      assertEquals("done", step.path("state").asText(), step.toString());
      assertEquals("idrac", step.path("componentId").asText(), step.toString());
      assertEquals(64, step.path("sha256").asText().length(), step.toString());
    }
  }

  @Test
  void aBaselineResumeIsRefusedNamingTheComponentThatChanged() throws Exception {
    baseline("2.00");
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    String id = killed(acceptedIn(List.of(stub), "--baseline", "idrac"));
    baseline("2.10");
    CliRun refused = CliRun.of(deploy(stub, "--resume", id).toArray(String[]::new));
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertEquals("smartupdate: cannot resume run " + id + ": baseline idrac changed since the run started: component idrac: version 2.00 -> 2.10",
        refused.err().strip());
    assertEquals(1, stub.bmc.simpleUpdates.get(), "nothing was sent on the refused resume");
  }

  /** Baseline {@code idrac}: the iDRAC's firmware at {@code version}, waited for until the server serves it. */
  private void baseline(String version) throws Exception {
    Path repo = fixture.server.repo();
    String entry = BaselineDeployIT.entry("idrac", "bmc", DeployFixture.IMAGE, Files.readAllBytes(repo.resolve(DeployFixture.IMAGE)), version,
        "^Integrated Dell Remote Access Controller$", ",\"reboot\":\"bmc\"");
    Files.createDirectories(repo.resolve("baselines"));
    Files.writeString(repo.resolve("baselines/idrac.json"), "{\"components\":[" + entry + "]}");
    for (long end = System.nanoTime() + 20_000_000_000L; ; Thread.sleep(100)) {
      HttpResponse<String> served = fixture.server.getString(Scheme.HTTP, "/api/baselines/idrac");
      if (served.statusCode() == 200 && served.body().contains("\"version\":\"" + version + "\"")) return;
      assertTrue(System.nanoTime() < end, "the server never served baseline idrac at " + version + ": " + served.body());
    }
  }

  private JsonNode get(String path) throws Exception {
    return Json.MAPPER.readTree(fixture.server.getString(Scheme.HTTP, path).body());
  }
}
