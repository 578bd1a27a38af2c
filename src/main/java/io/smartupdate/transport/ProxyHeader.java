package io.smartupdate.transport;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.proxy.ProxyProtocolOpenListener;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

/**
 * Reads the PROXY protocol header (v1 text or v2 binary) that a load balancer such as HAProxy
 * ({@code send-proxy-v2}) writes first on each connection, then hands the connection on with the
 * client's address as its peer, so the access log, the download records and deploy's proof of
 * fetch see the BMC rather than the balancer. A connection without the header is closed unread:
 * anyone able to reach the port directly could otherwise claim any address.
 */
final class ProxyHeader {
  private ProxyHeader() {}

  /** A listener that strips the header and passes the re-addressed connection to {@code next}. */
  static ChannelListener<StreamConnection> before(ChannelListener<StreamConnection> next, OpenListener http, ByteBufferPool buffers) {
    // TLS, when any, comes after the header and is the next listener's business (TlsSniffer): no SSL here.
    return new ProxyProtocolOpenListener(new Forward(next, http), null, buffers, OptionMap.EMPTY);
  }

  /** Undertow's header reader wants an OpenListener; this one only forwards the connection. */
  private record Forward(ChannelListener<StreamConnection> next, OpenListener http) implements OpenListener {
    @Override
    public void handleEvent(StreamConnection connection) {
      next.handleEvent(connection);
    }

    @Override
    public HttpHandler getRootHandler() {
      return http.getRootHandler();
    }

    @Override
    public void setRootHandler(HttpHandler handler) {
      http.setRootHandler(handler);
    }

    @Override
    public OptionMap getUndertowOptions() {
      return http.getUndertowOptions();
    }

    @Override
    public void setUndertowOptions(OptionMap options) {
      http.setUndertowOptions(options);
    }

    @Override
    public ByteBufferPool getBufferPool() {
      return http.getBufferPool();
    }

    @Override
    public ConnectorStatistics getConnectorStatistics() {
      return http.getConnectorStatistics();
    }
  }
}
