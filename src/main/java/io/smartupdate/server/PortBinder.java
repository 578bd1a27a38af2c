package io.smartupdate.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Binds a listener the SUM way: a port that is taken is skipped for the next free one upward
 * (and said in the log), unless strict ports are asked for.
 */
final class PortBinder {
  private static final Logger log = LoggerFactory.getLogger(PortBinder.class);
  static final int MAX_FALLBACK = 100;

  interface Binder {
    AcceptingChannel<? extends StreamConnection> bind(InetSocketAddress address) throws IOException;
  }

  private PortBinder() {}

  static AcceptingChannel<? extends StreamConnection> bind(String what, InetAddress address, int port, boolean strict,
      Binder binder) {
    int last = port == 0 || strict ? port : Math.min(65535, port + MAX_FALLBACK - 1);
    for (int candidate = port; candidate <= last; candidate++) {
      try {
        AcceptingChannel<? extends StreamConnection> channel = binder.bind(new InetSocketAddress(address, candidate));
        if (candidate != port) {
          log.warn("{} port {} is in use; listening on {} instead (use /strict_ports to fail instead)", what, port, candidate);
        }
        return channel;
      } catch (IOException e) {
        if (privileged(e)) {
          throw new StartupException(what + " port " + candidate + " is privileged (< 1024): run as root or grant "
              + "CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep $(readlink -f $(which java))), or use a port above 1023");
        }
        if (!inUse(e)) {
          throw new StartupException("cannot listen for " + what + " on " + where(address, candidate) + ": " + e.getMessage(), e);
        }
        if (strict) {
          throw new StartupException(what + " port " + candidate + " is already in use (strict ports: free it or choose another port)");
        }
      }
    }
    throw new StartupException(what + " ports " + port + "-" + last + " are all in use; choose another port");
  }

  private static String where(InetAddress address, int port) {
    return (address == null ? "*" : address.getHostAddress()) + ":" + port;
  }

  private static boolean inUse(IOException e) {
    return e instanceof BindException && String.valueOf(e.getMessage()).contains("in use");
  }

  private static boolean privileged(IOException e) {
    return e instanceof SocketException && String.valueOf(e.getMessage()).contains("Permission denied");
  }
}
