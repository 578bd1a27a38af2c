package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.http.Json;
import io.smartupdate.testing.TestServer.Scheme;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run as its owner records it: a BMC refusing the login ends its steps, and a process that lost its lease starts nothing new. */
@Timeout(90)
class RunOwnershipIT {
  @TempDir Path dir;
  private DeployFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new DeployFixture(dir, 4096);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private Deployer deployer(int parallel) throws Exception {
    return new Deployer(f.api(), BmcTls.trusting(f.caPem), DeployFixture.options(Duration.ofSeconds(10), Duration.ofSeconds(30), parallel),
        f.events::add, Duration.ofSeconds(3));
  }

  private JsonNode run() throws Exception {
    String id = get("/api/deploys").path("runs").get(0).path("id").asText();
    return get("/api/deploys/" + id);
  }

  private JsonNode get(String path) throws Exception {
    return Json.MAPPER.readTree(f.server.getString(Scheme.HTTP, path).body());
  }

  @Test
  void aRefusedLoginFailsTheNodesFirstStepAndSkipsTheRestSoTheRunFinishes() throws Exception {
    RedfishStub refusing = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.refuseLogin = true);
    Bmc bmc = DeployFixture.bmc(refusing);
    Step step = new Step(DeployFixture.IMAGE, "2.00", List.of());
    List<BmcResult> results = deployer(1).run(List.of(bmc), Map.of(bmc.address(), List.of(step, step)));
    assertEquals(BmcResult.Outcome.FAILED, results.get(0).outcome());
    JsonNode run = run();
    assertEquals("failed", run.path("state").asText(), run.toString());
    JsonNode first = run.path("steps").get(0);
    assertEquals("failed", first.path("state").asText(), first.toString());
    assertTrue(first.path("reason").asText().contains("refused the login of user 'admin' (401)"), first.toString());
    JsonNode second = run.path("steps").get(1);
    assertEquals("skipped", second.path("state").asText(), second.toString());
    assertEquals("not started: login refused", second.path("reason").asText(), second.toString());
    assertEquals(0, refusing.bmc.simpleUpdates.get());
  }

  @Test
  void aProcessThatLostItsLeaseFollowsWhatItStartedButStartsNoNewNode() throws Exception {
    RedfishStub first = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.stall = true);
    RedfishStub second = f.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    Deployer loser = deployer(1);
    CompletableFuture<List<BmcResult>> running = CompletableFuture.supplyAsync(() -> {
      try {
        return loser.run(List.of(DeployFixture.bmc(first), DeployFixture.bmc(second)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (long end = System.nanoTime() + 30_000_000_000L; first.bmc.lastSimpleUpdate == null || get("/api/deploys").path("runs").isEmpty();
        Thread.sleep(50)) {
      assertTrue(System.nanoTime() < end, "the first BMC never accepted");
    }
    JsonNode owned = run();
    assertEquals(RunLease.OWNER, owned.path("owner").asText(), owned.toString());
    assertEquals("running", owned.path("state").asText(), owned.toString());
    HttpResponse<String> taken = f.server.post(Scheme.HTTP, "/api/deploys/" + owned.path("id").asText() + "/takeover",
        "{\"owner\":\"other-node:1:feed\",\"leaseSeconds\":60,\"replaces\":\"" + RunLease.OWNER + "\"}");
    assertEquals(200, taken.statusCode(), taken.body());
    for (long end = System.nanoTime() + 20_000_000_000L; loser.stopped() == null; Thread.sleep(50)) {
      assertTrue(System.nanoTime() < end, "the loser's renewal never found the new owner");
    }
    assertEquals("lost the run to other-node:1:feed", loser.stopped());
    first.bmc.stall = false;
    List<BmcResult> results = running.get(60, TimeUnit.SECONDS);
    assertEquals(BmcResult.Outcome.UPDATED, results.get(0).outcome(), results.toString());
    assertEquals(BmcResult.Outcome.SKIPPED, results.get(1).outcome(), results.toString());
    assertEquals("not started: lost the run to other-node:1:feed", results.get(1).reason());
    assertEquals(0, second.bmc.simpleUpdates.get(), "never two drivers: the loser sent nothing to a BMC it had not started");
    JsonNode after = run();
    assertEquals("other-node:1:feed", after.path("owner").asText(), after.toString());
    assertEquals("running", after.path("state").asText(), "the loser does not end a run it lost: " + after);
    for (JsonNode step : after.path("steps")) {
      if (step.path("bmc").asText().equals(second.address())) {
        assertEquals("pending", step.path("state").asText(), "the loser wrote nothing after it lost: " + after);
      }
    }
  }
}
