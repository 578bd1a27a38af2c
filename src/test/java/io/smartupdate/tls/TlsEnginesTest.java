package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TlsEnginesTest {
  private static final HeldCertificate HELD = TestKeys.server(false, 90);
  private static final TlsMaterial MATERIAL =
      new TlsMaterial(List.of(HELD.certificate()), HELD.keyPair().getPrivate(), "test");

  @Test
  void choiceIsAutoWhenUnsetAndNamesThePropertyWhenWrong() {
    assertEquals(TlsEngines.Choice.AUTO, TlsEngines.choice(null));
    assertEquals(TlsEngines.Choice.AUTO, TlsEngines.choice(" "));
    assertEquals(TlsEngines.Choice.OPENSSL, TlsEngines.choice(" OpenSSL "));
    assertEquals(TlsEngines.Choice.JSSE, TlsEngines.choice("jsse"));
    TlsException wrong = assertThrows(TlsException.class, () -> TlsEngines.choice("boring"));
    assertTrue(wrong.getMessage().contains("-Dsmartupdate.tls.engine=boring is not one of auto, openssl, jsse"), wrong.getMessage());
  }

  @Test
  void autoFallsBackToJsseWithOneLogLineWhenTheNativePartCannotLoad() {
    Logger logger = (Logger) LoggerFactory.getLogger(TlsEngines.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Throwable missing = new UnsatisfiedLinkError("no netty_tcnative in java.library.path");
      SSLContext first = TlsEngines.context(MATERIAL, TlsEngines.Choice.AUTO, missing);
      SSLContext second = TlsEngines.context(MATERIAL, TlsEngines.Choice.AUTO, missing);
      assertFalse(TlsEngines.isOpenSsl(first));
      assertFalse(TlsEngines.isOpenSsl(second));
      assertTrue(first.getProvider().getName().contains("JSSE"), first.getProvider().getName());
      // Another test class may have logged it first in this JVM; never more than once.
      assertTrue(appender.list.size() <= 1, appender.list.toString());
      appender.list.forEach(e -> assertTrue(e.getFormattedMessage().contains("no netty_tcnative"), e.getFormattedMessage()));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void openSslRequiredFailsStartupWhenTheNativePartCannotLoad() {
    TlsException e = assertThrows(TlsException.class,
        () -> TlsEngines.context(MATERIAL, TlsEngines.Choice.OPENSSL, new UnsatisfiedLinkError("gone")));
    assertTrue(e.getMessage().contains("-Dsmartupdate.tls.engine=openssl") && e.getMessage().contains("gone"), e.getMessage());
  }

  @Test
  void jsseChoiceNeverUsesBoringSsl() {
    assertFalse(TlsEngines.isOpenSsl(TlsEngines.context(MATERIAL, TlsEngines.Choice.JSSE, null)));
  }

  @Test
  void boringSslContextOffersThePolicyInJssesOrder() {
    SSLContext context = TlsEngines.context(MATERIAL, TlsEngines.Choice.AUTO, OpenSslContexts.unavailabilityCause());
    assertTrue(TlsEngines.isOpenSsl(context), "netty-tcnative did not load on this box: " + OpenSslContexts.unavailabilityCause());
    List<String> jsse = TlsPolicy.cipherSuites(MATERIAL.sslContext());
    List<String> ours = TlsPolicy.cipherSuites(context);
    assertTrue(ours.containsAll(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")), ours.toString());
    assertEquals(jsse.stream().filter(ours::contains).toList(), ours, "same server preference as JSSE");
    assertTrue(ours.stream().allMatch(TlsPolicy::allowed), ours.toString());
  }

  @Test
  void jsseClientHandshakesWithBoringSslOnTls13AndTls12ButNotOnCbc() throws Exception {
    SSLContext server = TlsEngines.context(MATERIAL, TlsEngines.Choice.AUTO, OpenSslContexts.unavailabilityCause());
    assertEquals("TLSv1.3", handshake(server, new String[] {"TLSv1.3"}, null));
    assertEquals("TLSv1.2", handshake(server, new String[] {"TLSv1.2"}, null));
    assertThrows(SSLException.class, () -> handshake(server, new String[] {"TLSv1.2"},
        new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"}));
    assertThrows(SSLException.class, () -> handshake(server, new String[] {"TLSv1.1"}, null));
  }

  /** Runs a JSSE client against {@code serverContext}'s engine in memory; returns the protocol. */
  private static String handshake(SSLContext serverContext, String[] protocols, String[] suites) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", HELD.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
    SSLEngine client = clientContext.createSSLEngine("localhost", 443);
    client.setUseClientMode(true);
    client.setEnabledProtocols(protocols);
    if (suites != null) client.setEnabledCipherSuites(suites);
    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    server.setEnabledProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
    server.setEnabledCipherSuites(TlsPolicy.cipherSuites(serverContext).toArray(String[]::new));
    int size = 1 << 17;
    ByteBuffer toServer = ByteBuffer.allocateDirect(size);
    ByteBuffer toClient = ByteBuffer.allocateDirect(size);
    ByteBuffer app = ByteBuffer.allocateDirect(size);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int i = 0; i < 100 && !(done(client) && done(server)); i++) {
      step(client, empty, toServer, toClient, app);
      step(server, empty, toClient, toServer, app);
    }
    assertTrue(done(client) && done(server), client.getHandshakeStatus() + " / " + server.getHandshakeStatus());
    assertTrue(Arrays.asList(TlsPolicy.PROTOCOLS.toArray()).contains(client.getSession().getProtocol()));
    return client.getSession().getProtocol();
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING;
  }

  private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) task.run();
    engine.wrap(empty, out);
    in.flip();
    engine.unwrap(in, app);
    in.compact();
    while ((task = engine.getDelegatedTask()) != null) task.run();
    app.clear();
  }
}
