package io.smartupdate.redfish;

import io.smartupdate.server.ServerConfig;
import io.smartupdate.testing.Samples;
import io.smartupdate.testing.TestServer;
import io.smartupdate.testing.TestServer.Scheme;
import io.smartupdate.tls.HeldCertificate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A real smartupdate server with one image, a CA for stub BMCs, and the stubs started so far (closed together). */
public final class DeployFixture implements AutoCloseable {
  public static final String IMAGE = "hpe/ilo5_310.bin";

  final Path dir;
  public final TestServer server;
  final HeldCertificate ca;
  final HeldCertificate leaf;
  public final Path caPem;
  final List<RedfishStub> stubs = new ArrayList<>();
  final List<DeployEvent> events = new CopyOnWriteArrayList<>();
  byte[] image;

  public DeployFixture(Path dir, int imageSize) throws Exception {
    this(dir, imageSize, config -> {});
  }

  /** As above, with the server's settings changed by {@code customize} (FTP on, say). */
  public DeployFixture(Path dir, int imageSize, Consumer<ServerConfig.Builder> customize) throws Exception {
    this.dir = dir;
    this.server = TestServer.start(dir, customize);
    this.image = Samples.write(server.repo().resolve(IMAGE), imageSize, 310);
    this.ca = HeldCertificate.builder().commonName("Stub BMC CA").certificateAuthority(0).build();
    this.leaf = HeldCertificate.builder().commonName("bmc").addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost")
        .signedBy(ca).build();
    this.caPem = RedfishStub.pem(dir.resolve("bmc-ca.pem"), ca);
  }

  public RedfishStub stub(FakeBmc.Dialect dialect, Consumer<FakeBmc> configure) throws Exception {
    FakeBmc bmc = new FakeBmc(dialect);
    bmc.expectedSha = Samples.sha256(image);
    configure.accept(bmc);
    RedfishStub stub = RedfishStub.start(bmc, leaf, ca, dir);
    stubs.add(stub);
    return stub;
  }

  static Bmc bmc(RedfishStub stub) {
    return new Bmc(stub.address(), FakeBmc.USER, FakeBmc.PASSWORD, stub.bmc.dialect.name().toLowerCase(Locale.ROOT));
  }

  /** Polls and settling in tenths of seconds: stub BMCs answer at once, and a test waits seconds, not minutes. */
  static final Pacing FAST = new Pacing(Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(1500), 3);

  static DeployOptions options(Duration fetchTimeout, Duration timeout, int parallel) {
    return new DeployOptions(IMAGE, List.of(), null, fetchTimeout, timeout, parallel, false, false).withPacing(FAST);
  }

  ServerApi api() throws Exception {
    return new ServerApi(URI.create("http://127.0.0.1:" + server.port(Scheme.HTTP) + "/"), server.token(), null, null);
  }

  List<BmcResult> deploy(DeployOptions options, List<Bmc> bmcs) throws Exception {
    return new Deployer(api(), BmcTls.trusting(caPem), options, events::add).run(bmcs);
  }

  BmcResult deployOne(RedfishStub stub) throws Exception {
    return deploy(options(Duration.ofSeconds(10), Duration.ofSeconds(30), 4), List.of(bmc(stub))).get(0);
  }

  BmcResult deployOne(RedfishStub stub, DeployOptions options) throws Exception {
    return deploy(options, List.of(bmc(stub))).get(0);
  }

  /** The messages of the events of one BMC. */
  List<String> messages(RedfishStub stub) {
    return events.stream().filter(e -> e.bmc().equals(stub.address()) && e.message() != null).map(DeployEvent::message).toList();
  }

  @Override
  public void close() {
    stubs.forEach(RedfishStub::close);
    server.close();
  }
}
