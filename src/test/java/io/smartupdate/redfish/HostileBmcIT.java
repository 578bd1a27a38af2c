package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A BMC is untrusted input: a task, monitor or member that points at another origin, a redirect
 * there, a body without end. The other origin is a second stub BMC whose certificate deploy trusts,
 * so only the origin check keeps the session token from it.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBmcIT {
  enum Elsewhere { TASK_LOCATION, TASK_MONITOR, INVENTORY_MEMBER, REDIRECT }

  @TempDir static Path dir;
  private DeployFixture f;
  private RedfishStub other;

  @BeforeAll
  void start() throws Exception {
    f = new DeployFixture(dir, 4096);
    other = f.stub(FakeBmc.Dialect.DMTF, b -> {});
  }

  @AfterAll
  void stop() {
    if (f != null) f.close();
  }

  @ParameterizedTest
  @EnumSource(Elsewhere.class)
  void aReferenceToAnotherOriginIsRefusedAndNothingGoesThere(Elsewhere kind) throws Exception {
    String origin = "https://localhost:" + other.address().substring(other.address().lastIndexOf(':') + 1);
    RedfishStub stub = f.stub(kind == Elsewhere.TASK_LOCATION ? FakeBmc.Dialect.IDRAC9 : FakeBmc.Dialect.ILO6, b -> {
      switch (kind) {
        case TASK_LOCATION -> b.misbehave.taskElsewhere = origin;
        case TASK_MONITOR -> b.misbehave.monitorElsewhere = origin;
        case INVENTORY_MEMBER -> b.misbehave.memberElsewhere = origin;
        case REDIRECT -> b.misbehave.redirectElsewhere = origin;
      }
    });
    int before = other.bmc.misbehave.requests.get();
    BmcResult result = f.deployOne(stub, DeployFixture.options(Duration.ofSeconds(5), Duration.ofSeconds(10), 1));
    assertEquals(BmcResult.Outcome.FAILED, result.outcome(), result.reason());
    if (kind == Elsewhere.REDIRECT) {
      assertTrue(result.reason().startsWith("BMC " + stub.address() + " answered 307 for /redfish/v1/UpdateService"), result.reason());
    } else {
      String path = switch (kind) {
        case TASK_LOCATION -> "/redfish/v1/TaskService/Tasks/9";
        case TASK_MONITOR -> "/redfish/v1/TaskService/TaskMonitors/9";
        default -> "/redfish/v1/UpdateService/FirmwareInventory/1";
      };
      assertEquals("BMC " + stub.address() + " pointed at " + origin + path + ", outside its own origin https://" + stub.address()
          + ": refused, so that its session token never leaves it", result.reason());
    }
    assertEquals(before, other.bmc.misbehave.requests.get(), "not one request went to the other origin");
  }

  @Test
  void anAnswerPastTheBodyLimitIsRefused() throws Exception {
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> b.misbehave.hugeInventory = RedfishClient.MAX_BODY + 1024);
    BmcResult result = f.deployOne(stub, DeployFixture.options(Duration.ofSeconds(5), Duration.ofSeconds(20), 1));
    assertEquals("BMC " + stub.address() + " answered GET /redfish/v1/UpdateService/FirmwareInventory with more than " + RedfishClient.MAX_BODY
        + " bytes: refused (a Redfish answer is far smaller)", result.reason());
  }
}
