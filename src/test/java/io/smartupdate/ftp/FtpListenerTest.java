package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.mina.core.RuntimeIoException;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.junit.jupiter.api.Test;

class FtpListenerTest {
  @Test
  void clientCausedFailuresAreRecognisedThroughWrappers() {
    assertTrue(FtpListener.QuietFtpHandler.clientSide(new SocketException("Connection reset")));
    assertTrue(FtpListener.QuietFtpHandler.clientSide(new SSLHandshakeException("no cipher suites in common")));
    assertTrue(FtpListener.QuietFtpHandler.clientSide(new RuntimeIoException(new IOException("Broken pipe"))));
    assertTrue(FtpListener.QuietFtpHandler.clientSide(new WriteToClosedSessionException(new DefaultWriteRequest("226 done"))));
    assertTrue(FtpListener.QuietFtpHandler.clientSide(new ProtocolDecoderException("line too long")));
  }

  @Test
  void serverBugsStayLoud() {
    assertFalse(FtpListener.QuietFtpHandler.clientSide(new IllegalStateException("bug")));
    assertFalse(FtpListener.QuietFtpHandler.clientSide(new NullPointerException()));
  }
}
