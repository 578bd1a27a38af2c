package io.smartupdate.ftp;

import io.smartupdate.tls.TlsPolicy;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;

/**
 * Explicit FTPS (AUTH TLS) with the server's own certificate and the same protocol versions and
 * cipher suites as the HTTPS listener; FtpServer applies them to the control and the data
 * connections alike. No client certificates.
 */
final class PolicySslConfiguration implements SslConfiguration {
  private final SSLContext context;
  private final String[] protocols;
  private final String[] cipherSuites;

  PolicySslConfiguration(SSLContext context) {
    this.context = context;
    this.protocols = TlsPolicy.PROTOCOLS.toArray(String[]::new);
    this.cipherSuites = TlsPolicy.cipherSuites(context).toArray(String[]::new);
  }

  @Override
  public SSLSocketFactory getSocketFactory() {
    return context.getSocketFactory();
  }

  @Override
  public SSLContext getSSLContext() {
    return context;
  }

  /** The same context for "AUTH TLS" and "AUTH SSL": either way the client gets TLS 1.2 or 1.3 only. */
  @Override
  public SSLContext getSSLContext(String protocol) {
    return context;
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return cipherSuites.clone();
  }

  /** FtpServer's older single-protocol accessor; everything it builds asks {@link #getEnabledProtocols()}. */
  @Override
  public String getEnabledProtocol() {
    return protocols[0];
  }

  @Override
  public String[] getEnabledProtocols() {
    return protocols.clone();
  }

  @Override
  public ClientAuth getClientAuth() {
    return ClientAuth.NONE;
  }
}
