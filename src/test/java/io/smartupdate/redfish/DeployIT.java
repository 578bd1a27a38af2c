package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import com.fasterxml.jackson.databind.JsonNode;
import io.smartupdate.core.Phase;
import io.smartupdate.core.PortRange;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import io.smartupdate.http.Json;
import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.tls.HeldCertificate;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deploys to stub BMCs of every dialect that really fetch from a real server; each failure with the line it prints. */
@Timeout(120)
class DeployIT {
  @TempDir Path dir;
  private DeployFixture fixture;

  private DeployFixture fixture(int imageSize) throws Exception {
    fixture = new DeployFixture(dir, imageSize);
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) fixture.close();
  }

  @ParameterizedTest
  @EnumSource(FakeBmc.Dialect.class)
  void eachDialectUpdatesAfterARealFetchOfTheCatalogBytes(FakeBmc.Dialect dialect) throws Exception {
    DeployFixture f = fixture(256 * 1024);
    RedfishStub stub = f.stub(dialect, b -> {});
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("updated", result.reason());
    assertTrue(result.before().contains("1.00") && result.after().contains("2.00"), result.before() + " -> " + result.after());
    assertEquals(Samples.sha256(f.image), stub.bmc.fetchedSha, "the BMC got the catalog's bytes");
    assertEquals(f.image.length, stub.bmc.fetched);
    // The server's own record: one complete download on this BMC's hand-off session.
    JsonNode downloads = Json.MAPPER.readTree(f.server.getString(Scheme.HTTP, "/api/downloads").body()).path("downloads");
    assertEquals(1, downloads.size(), "one whole fetch, so one download: " + downloads);
    assertEquals("complete", downloads.get(0).path("result").asText(), downloads.toString());
    assertFalse(downloads.get(0).path("session").isNull(), "fetched through its hand-off session: " + downloads);
    // Status events under the BMC's node name, ending complete.
    JsonNode node = Json.MAPPER.readTree(f.server.getString(Scheme.HTTP, "/api/nodes").body()).path("nodes").get(0);
    assertEquals(DeployFixture.bmc(stub).node(), node.path("node").asText());
    assertEquals("complete", node.path("phase").asText());
    if (stub.bmc.sessions()) assertEquals(stub.bmc.sessionsOpened.get(), stub.bmc.sessionsDeleted.get(), "every session closed");
    assertTrue(f.events.stream().anyMatch(e -> e.phase() == Phase.DOWNLOADING && e.sent() != null && e.sent() == f.image.length), "bytes shown");
  }

  @Test
  void aBmcThatFetchesInRangesHasItsFetchProvedByTheRangesTogether() throws Exception {
    DeployFixture f = fixture(200_000);
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.rangedFetch = true);
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals(Samples.sha256(f.image), stub.bmc.fetchedSha);
  }

  @Test
  void overFtpTheBmcFetchesFromTheFtpServiceAndTheResultSaysTheFetchIsNotProved() throws Exception {
    int passive = Ports.freeRange(10);
    fixture = new DeployFixture(dir, 100_000, config -> config.ftp(FtpConfig.onPort(0)
        .withPassiveRange(passive + "-" + (passive + 9))));
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.DMTF, b -> {});
    DeployOptions options = new DeployOptions(DeployFixture.IMAGE, List.of(), "ftp", Duration.ofSeconds(10), Duration.ofSeconds(30), 1, false, false).withPacing(DeployFixture.FAST);
    BmcResult result = fixture.deploy(options, List.of(DeployFixture.bmc(stub))).get(0);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("updated (over FTP: the server keeps no record of FTP downloads, so the fetch is not proved)", result.reason());
    assertTrue(stub.bmc.lastSimpleUpdate.path("ImageURI").asText().matches("ftp://127\\.0\\.0\\.1:\\d+/hpe/ilo5_310\\.bin"),
        stub.bmc.lastSimpleUpdate.toString());
    assertEquals("FTP", stub.bmc.lastSimpleUpdate.path("TransferProtocol").asText());
    assertEquals(Samples.sha256(fixture.image), stub.bmc.fetchedSha);
  }

  @Test
  void withTheHandoffRangeFullTheSharedPortIsUsedAndTheFetchAttributedByAddress() throws Exception {
    int port = Ports.freeRange(1);
    fixture = new DeployFixture(dir, 100_000, config -> config.handoff(HandoffConfig.DEFAULT
        .withPorts(new PortRange(port, port))));
    assertEquals(201, fixture.server.post(Scheme.HTTP, "/api/handoff", "{\"scheme\":\"https\"}").statusCode(), "the one port taken");
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    BmcResult result = fixture.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("https://127.0.0.1:" + fixture.server.port(Scheme.HTTPS) + "/firmware/hpe/ilo5_310.bin",
        stub.bmc.lastSimpleUpdate.path("ImageURI").asText(), "the shared port, no session");
  }

  @Test
  void withTheHandoffRangeFullAPublicUrlWithAPortIsTheSharedUrlBmcsFetchFrom() throws Exception {
    int port = Ports.freeRange(1);
    fixture = new DeployFixture(dir, 100_000, config -> config.handoff(HandoffConfig.DEFAULT.withPorts(new PortRange(port, port))));
    assertEquals(201, fixture.server.post(Scheme.HTTP, "/api/handoff", "{\"scheme\":\"https\"}").statusCode(), "the one port taken");
    RedfishStub stub = fixture.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    // A balancer in front: here it is the server's own HTTPS port under another name, so the fetch still works.
    URI balancer = URI.create("https://localhost:" + fixture.server.port(Scheme.HTTPS));
    ServerApi api = new ServerApi(URI.create("http://127.0.0.1:" + fixture.server.port(Scheme.HTTP) + "/"), fixture.server.token(), balancer, null);
    BmcResult result = new Deployer(api, BmcTls.trusting(fixture.caPem), DeployFixture.options(Duration.ofSeconds(10), Duration.ofSeconds(30), 1),
        e -> {}).run(List.of(DeployFixture.bmc(stub))).get(0);
    assertEquals("https://localhost:" + fixture.server.port(Scheme.HTTPS) + "/firmware/hpe/ilo5_310.bin",
        stub.bmc.lastSimpleUpdate.path("ImageURI").asText(), "--public-url's host and port, not the server's own port");
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
  }

  @Test
  void withoutMultipartThePushGoesToHttpPushUri() throws Exception {
    DeployFixture f = fixture(300_000);
    RedfishStub stub = f.stub(FakeBmc.Dialect.OPENBMC, b -> b.noMultipart = true);
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals(Samples.sha256(f.image), stub.bmc.fetchedSha, "the pushed body is the catalog's bytes");
  }

  @Test
  void aRefusedLoginNamesTheUserAndTheFix() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> b.refuseLogin = true);
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.FAILED, result.outcome());
    assertEquals("BMC " + stub.address() + " refused the login of user 'admin' (401): check --user and the password"
        + " (--password-file or SMARTUPDATE_BMC_PASSWORD)", result.reason());
    assertTrue(f.events.stream().noneMatch(e -> String.valueOf(e.message()).contains(FakeBmc.PASSWORD)), "no password in any event");
  }

  @Test
  void noProtocolInCommonFailsClearly() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> b.protocols = List.of("TFTP", "SCP"));
    BmcResult result = f.deployOne(stub);
    assertEquals("BMC " + stub.address() + " accepts SimpleUpdate only over TFTP, SCP; smartupdate serves HTTPS, HTTP"
        + " (and FTP with --ftp-port): no protocol in common", result.reason());
    assertNull(stub.bmc.lastSimpleUpdate, "no update started");
  }

  @Test
  void aBmcThatDemandsTargetsGetsTheMatchingInventoryMemberOnTheRetry() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> b.requireTargets = true);
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("/redfish/v1/UpdateService/FirmwareInventory/1", stub.bmc.lastSimpleUpdate.path("Targets").get(0).asText());
  }

  @Test
  void targetsRefusedForEveryCandidateNamesEachOneTried() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> b.requireTargets = true);
    BmcResult result = f.deployOne(stub);
    String refusal = " (The property Targets is a required property and must be included in the request.)";
    assertEquals("BMC " + stub.address() + " refused every Targets candidate for SimpleUpdate: /redfish/v1/Managers/1" + refusal
        + ", /redfish/v1/Systems/1" + refusal + ": pass the right one with --targets URI", result.reason());
  }

  @Test
  void aTaskEndingInExceptionReportsTheBmcsMessage() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> b.failTask = "Unable to apply the update package: the package is not compatible (RED007)");
    BmcResult result = f.deployOne(stub);
    assertEquals("BMC " + stub.address() + " ended the update in failure: Unable to apply the update package: the package is not"
        + " compatible (RED007)", result.reason());
    assertEquals("1.00", stub.bmc.version);
  }

  @Test
  void aBmcThatAcceptsAndNeverFetchesGetsTheSentenceThatNamesTheFix() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO6, b -> b.neverFetch = true);
    long start = System.nanoTime();
    BmcResult result = f.deploy(DeployFixture.options(Duration.ofSeconds(2), Duration.ofSeconds(30), 1), List.of(DeployFixture.bmc(stub))).get(0);
    assertTrue(Pattern.matches("BMC 127\\.0\\.0\\.1 accepted the update but never fetched https://127\\.0\\.0\\.1:(\\d+)/firmware/hpe/ilo5_310\\.bin:"
        + " check that 127\\.0\\.0\\.1 can reach 127\\.0\\.0\\.1:\\1 \\(firewall, route, proxy\\)", result.reason()), result.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "--fetch-timeout honoured, not --timeout");
  }

  @Test
  void aFetchCutHalfwayReportsTheBytesReceived() throws Exception {
    int size = 16 * 1024 * 1024; // more than loopback socket buffers hold, so the server sees the cut
    DeployFixture f = fixture(size);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO6, b -> b.cutHalfway = true);
    BmcResult result = f.deployOne(stub);
    var matcher = Pattern.compile("BMC " + Pattern.quote(stub.address()) + " fetched only (\\d+) of " + size
        + " bytes of https://127\\.0\\.0\\.1:\\d+/firmware/hpe/ilo5_310\\.bin; it says: Transfer of image .* failed: connection closed").matcher(result.reason());
    assertTrue(matcher.matches(), result.reason());
    long sent = Long.parseLong(matcher.group(1));
    assertTrue(sent >= size / 2 && sent < size, "bytes the server sent: " + sent);
  }

  @Test
  void aBmcThatResetsIsWaitedForAndLoggedInAgain() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> b.resetFor = Duration.ofSeconds(3));
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("2.00", result.after());
    assertTrue(f.events.stream().anyMatch(e -> e.phase() == Phase.REBOOTING), "the reset was seen");
    assertTrue(stub.bmc.sessionsOpened.get() >= 2, "logged in again after the reset");
  }

  @Test
  void aBmcThatSaysCompleteAndThenResetsIsReadAgainOnceBack() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> {
      b.resetFor = Duration.ofSeconds(2);
      b.resetAfterComplete = true;
    });
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    assertEquals("2.00", result.after());
    assertTrue(stub.bmc.sessionsOpened.get() >= 2, "logged in again after the reset");
  }

  @Test
  void anUntrustedCertificatePrintsItsFingerprint() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    Path otherCa = RedfishStub.pem(dir.resolve("other-ca.pem"), HeldCertificate.builder().commonName("Other CA").certificateAuthority(0).build());
    BmcResult result = new Deployer(f.api(), BmcTls.trusting(otherCa), DeployFixture.options(Duration.ofSeconds(5), Duration.ofSeconds(10), 1),
        f.events::add).run(List.of(DeployFixture.bmc(stub))).get(0);
    String fingerprint = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256")
        .digest(f.leaf.certificate().getEncoded())).toUpperCase(Locale.ROOT);
    assertEquals("BMC " + stub.address() + " presented a certificate that is not trusted (SHA-256 " + fingerprint
        + "): pass its CA with --bmc-ca FILE, or --insecure-bmc", result.reason());
  }

  @Test
  void aSlowBmcHitsTheTimeoutInsteadOfHangingTheRun() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> b.delay = Duration.ofSeconds(6));
    long start = System.nanoTime();
    BmcResult result = f.deploy(DeployFixture.options(Duration.ofSeconds(5), Duration.ofSeconds(1), 1), List.of(DeployFixture.bmc(stub))).get(0);
    assertEquals("BMC " + stub.address() + " did not answer GET /redfish/v1/ within 1 s (--timeout)", result.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "returned before the BMC answered");
  }

  @Test
  void a204WithoutTaskAndAnUnchangedInventoryIsNotAnUpdate() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.DMTF, b -> b.answer204 = true);
    BmcResult result = f.deployOne(stub);
    assertEquals(BmcResult.Outcome.NOT_UPDATED, result.outcome(), result.reason());
    assertTrue(result.reason().startsWith("BMC " + stub.address() + " accepted the update but did not apply it: no task, and its inventory"
        + " is unchanged ("), result.reason());
  }

  @Test
  void subscribeCreatesAndDeletesTheEventSubscription() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.IDRAC9, b -> {});
    DeployOptions options = new DeployOptions(DeployFixture.IMAGE, List.of(), null, Duration.ofSeconds(10), Duration.ofSeconds(30), 1, true, false).withPacing(DeployFixture.FAST);
    BmcResult result = f.deploy(options, List.of(DeployFixture.bmc(stub))).get(0);
    assertEquals(BmcResult.Outcome.UPDATED, result.outcome(), result.reason());
    JsonNode subscription = stub.bmc.lastSubscription;
    assertNotNull(subscription);
    assertEquals(DeployFixture.bmc(stub).node(), subscription.path("Context").asText());
    assertTrue(subscription.path("Destination").asText().matches("https://127\\.0\\.0\\.1:\\d+/redfish/events"), subscription.toString());
    assertEquals("Bearer " + f.server.token(), subscription.path("HttpHeaders").get(0).path("Authorization").asText());
    assertEquals(1, stub.bmc.subscriptionsDeleted.get());
  }

  @Test
  void dryRunStartsNothing() throws Exception {
    DeployFixture f = fixture(4096);
    RedfishStub stub = f.stub(FakeBmc.Dialect.ILO5, b -> {});
    DeployOptions options = new DeployOptions(DeployFixture.IMAGE, List.of(), null, Duration.ofSeconds(10), Duration.ofSeconds(30), 1, false, true).withPacing(DeployFixture.FAST);
    BmcResult result = f.deploy(options, List.of(DeployFixture.bmc(stub))).get(0);
    assertEquals(BmcResult.Outcome.DRY_RUN, result.outcome());
    assertTrue(result.reason().contains("SimpleUpdate") && result.reason().contains("TransferProtocol=HTTPS"), result.reason());
    assertNull(stub.bmc.lastSimpleUpdate);
    assertEquals(1, stub.bmc.sessionsDeleted.get());
  }

  @Test
  @Timeout(300)
  void fiftyBmcsAtParallel16WithThreeFailingAllReachTheirEnd() throws Exception {
    DeployFixture f = fixture(64 * 1024);
    List<RedfishStub> stubs = new ArrayList<>();
    FakeBmc.Dialect[] dialects = FakeBmc.Dialect.values();
    for (int i = 0; i < 50; i++) {
      boolean failing = i == 7 || i == 23 || i == 41;
      stubs.add(f.stub(dialects[i % dialects.length], b -> b.refuseLogin = failing));
    }
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> started = ConcurrentHashMap.newKeySet();
    DeployListener concurrency = e -> {
      if (started.add(e.bmc())) peak.accumulateAndGet(now.incrementAndGet(), Math::max);
      if (e.phase() == Phase.COMPLETE || e.phase() == Phase.FAILED) now.decrementAndGet();
    };
    List<BmcResult> results = new Deployer(f.api(), BmcTls.trusting(f.caPem), DeployFixture.options(Duration.ofSeconds(30), Duration.ofSeconds(60), 16),
        concurrency).run(stubs.stream().map(DeployFixture::bmc).toList());
    assertEquals(50, results.size());
    assertEquals(47, results.stream().filter(r -> r.outcome() == BmcResult.Outcome.UPDATED).count(), results.toString());
    for (int i : new int[] {7, 23, 41}) assertEquals(BmcResult.Outcome.FAILED, results.get(i).outcome());
    assertTrue(peak.get() <= 16 && peak.get() > 1, "peak concurrency " + peak.get());
  }
}
