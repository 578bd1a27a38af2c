package io.smartupdate.core;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a listener the SUM way: a port that is taken is skipped for the next free one upward
 * (and said in the log), unless strict ports are asked for. Shared by HTTP, HTTPS and FTP.
 */
public final class PortBinder {
  private static final Logger log = LoggerFactory.getLogger(PortBinder.class);
  public static final int MAX_FALLBACK = 100;

  /** Binds one address; failures are the IOException the library throws (possibly wrapping the JDK's). */
  @FunctionalInterface
  public interface Binder<T> {
    T bind(InetSocketAddress address) throws IOException;
  }

  private PortBinder() {}

  /** Binds {@code port} (0 = any free port) or, unless strict, the first free one above it. */
  public static <T> T bind(String what, InetAddress address, int port, boolean strict, Binder<T> binder) {
    int last = port == 0 || strict ? port : Math.min(65535, port + MAX_FALLBACK - 1);
    for (int candidate = port; candidate <= last; candidate++) {
      try {
        T bound = binder.bind(new InetSocketAddress(address, candidate));
        if (candidate != port) {
          log.warn("{} port {} is in use; listening on {} instead (use /strict_ports to fail instead)", what, port, candidate);
        }
        return bound;
      } catch (IOException e) {
        if (privileged(e)) {
          throw new StartupException(what + " port " + candidate + " is privileged (< 1024): start it as the smartupdate "
              + "service (its unit grants CAP_NET_BIND_SERVICE), run as root, or grant the capability to Java "
              + "(setcap cap_net_bind_service=+ep $(readlink -f $(which java))); or use a port above 1023");
        }
        if (!inUse(e)) {
          throw new StartupException("cannot listen for " + what + " on " + where(address, candidate) + ": " + rootMessage(e), e);
        }
        if (strict) {
          throw new StartupException(what + " port " + candidate + " is already in use (strict ports: free it or choose another port)");
        }
      }
    }
    throw new StartupException(what + " ports " + port + "-" + last + " are all in use; choose another port");
  }

  /** The listen address for {@code /bind}, or null (all interfaces) when none is given. */
  public static InetAddress address(String name) {
    if (name == null) return null;
    try {
      return InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw new StartupException("bind address '" + name + "' is not a known host or IP address; pass /bind ADDR");
    }
  }

  // Libraries wrap the JDK's exception (MINA: "Error while binding on ..."), so look along the causes.
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
