package io.smartupdate.ftp;

import io.smartupdate.server.StartupException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the FTP control port the way the HTTP listeners bind theirs (SUM behaviour): a taken port
 * is skipped for the next free one upward, said in the log, unless strict ports are asked for.
 */
final class PortFallback {
  private static final Logger log = LoggerFactory.getLogger(PortFallback.class);
  static final int MAX_FALLBACK = 100;

  interface Binder {
    void bind(InetSocketAddress address) throws IOException;
  }

  private PortFallback() {}

  /** Binds {@code port} or the first free one above it and returns the port asked of the binder. */
  static int bind(InetAddress address, int port, boolean strict, Binder binder) {
    int last = port == 0 || strict ? port : Math.min(65535, port + MAX_FALLBACK - 1);
    for (int candidate = port; candidate <= last; candidate++) {
      try {
        binder.bind(new InetSocketAddress(address, candidate));
        if (candidate != port) {
          log.warn("FTP port {} is in use; listening on {} instead (use /strict_ports to fail instead)", port, candidate);
        }
        return candidate;
      } catch (IOException e) {
        if (privileged(e)) {
          throw new StartupException("FTP port " + candidate + " is privileged (< 1024): run as root or grant "
              + "CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep $(readlink -f $(which java))), or use a port above 1023");
        }
        if (!inUse(e)) {
          throw new StartupException("cannot listen for FTP on " + where(address, candidate) + ": " + rootMessage(e), e);
        }
        if (strict) {
          throw new StartupException("FTP port " + candidate + " is already in use (strict ports: free it or choose another port)");
        }
      }
    }
    throw new StartupException("FTP ports " + port + "-" + last + " are all in use; choose another port");
  }

  // MINA wraps the JDK's exception ("Error while binding on ..."), so look along the causes.
  static boolean inUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException && String.valueOf(t.getMessage()).contains("in use")) return true;
    }
    return false;
  }

  static boolean privileged(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketException && String.valueOf(t.getMessage()).contains("Permission denied")) return true;
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return String.valueOf(root.getMessage());
  }

  private static String where(InetAddress address, int port) {
    return (address == null ? "*" : address.getHostAddress()) + ":" + port;
  }
}
