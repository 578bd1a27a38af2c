package io.smartupdate.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * BoringSSL's engine as JSSE behaves where Undertow relies on it. After a failed handshake netty's
 * engine first wraps the fatal alert, then throws from the next wrap; Undertow's conduit then drops
 * the buffered alert and the client sees a bare EOF. JSSE instead ends with a CLOSED result, so the
 * alert is flushed: this does the same. It gathers small multi-buffer writes into one record, and ignores {@code setEnableSessionCreation(true)},
 * which netty refuses though it always creates sessions.
 */
final class AlertFlushingEngine extends SSLEngine {
  private static final int RECORD = 16 * 1024;
  // Wraps run on Undertow's few IO threads: one record-sized buffer each.
  private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECORD));

  private final SSLEngine engine;
  private SSLException failed;

  AlertFlushingEngine(SSLEngine engine) {
    super(engine.getPeerHost(), engine.getPeerPort());
    this.engine = engine;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
    if (failed != null) throw failed;
    int before = dst.position();
    try {
      if (length > 1) return gathered(srcs, offset, length, dst);
      return engine.wrap(srcs, offset, length, dst);
    } catch (SSLException e) {
      if (dst.position() != before) throw e;
      failed = e; // thrown again if asked for more; the alert written by the last wrap goes out first
      engine.closeOutbound();
      return new SSLEngineResult(SSLEngineResult.Status.CLOSED, SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, 0, 0);
    }
  }

  /**
   * netty's engine writes one TLS record per source buffer, so a small response (head + body)
   * would cost two records; JSSE makes one. Up to a record's worth is gathered into one buffer.
   */
  private SSLEngineResult gathered(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) total += srcs[i].remaining();
    if (total > RECORD) return engine.wrap(srcs, offset, length, dst);
    ByteBuffer scratch = SCRATCH.get().clear();
    for (int i = offset; i < offset + length; i++) scratch.put(srcs[i].duplicate());
    scratch.flip();
    SSLEngineResult result = engine.wrap(scratch, dst);
    int consumed = result.bytesConsumed();
    for (int i = offset; i < offset + length && consumed > 0; i++) {
      int step = Math.min(consumed, srcs[i].remaining());
      srcs[i].position(srcs[i].position() + step);
      consumed -= step;
    }
    return result;
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
    return engine.unwrap(src, dsts, offset, length);
  }

  @Override public Runnable getDelegatedTask() { return engine.getDelegatedTask(); }
  @Override public void closeInbound() throws SSLException { engine.closeInbound(); }
  @Override public boolean isInboundDone() { return engine.isInboundDone(); }
  @Override public void closeOutbound() { engine.closeOutbound(); }
  @Override public boolean isOutboundDone() { return failed != null || engine.isOutboundDone(); }
  @Override public String[] getSupportedCipherSuites() { return engine.getSupportedCipherSuites(); }
  @Override public String[] getEnabledCipherSuites() { return engine.getEnabledCipherSuites(); }
  @Override public void setEnabledCipherSuites(String[] suites) { engine.setEnabledCipherSuites(suites); }
  @Override public String[] getSupportedProtocols() { return engine.getSupportedProtocols(); }
  @Override public String[] getEnabledProtocols() { return engine.getEnabledProtocols(); }
  @Override public void setEnabledProtocols(String[] protocols) { engine.setEnabledProtocols(protocols); }
  @Override public SSLSession getSession() { return engine.getSession(); }
  @Override public SSLSession getHandshakeSession() { return engine.getHandshakeSession(); }
  @Override public void beginHandshake() throws SSLException { engine.beginHandshake(); }
  @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return engine.getHandshakeStatus(); }
  @Override public void setUseClientMode(boolean mode) { engine.setUseClientMode(mode); }
  @Override public boolean getUseClientMode() { return engine.getUseClientMode(); }
  @Override public void setNeedClientAuth(boolean need) { engine.setNeedClientAuth(need); }
  @Override public boolean getNeedClientAuth() { return engine.getNeedClientAuth(); }
  @Override public void setWantClientAuth(boolean want) { engine.setWantClientAuth(want); }
  @Override public boolean getWantClientAuth() { return engine.getWantClientAuth(); }
  @Override public boolean getEnableSessionCreation() { return true; }
  @Override public SSLParameters getSSLParameters() { return engine.getSSLParameters(); }
  @Override public void setSSLParameters(SSLParameters parameters) { engine.setSSLParameters(parameters); }
  @Override public String getApplicationProtocol() { return engine.getApplicationProtocol(); }
  @Override public String getHandshakeApplicationProtocol() { return engine.getHandshakeApplicationProtocol(); }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    if (!flag) engine.setEnableSessionCreation(false);
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
    engine.setHandshakeApplicationProtocolSelector(selector);
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return engine.getHandshakeApplicationProtocolSelector();
  }
}
