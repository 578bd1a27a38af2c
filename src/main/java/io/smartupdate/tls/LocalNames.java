package io.smartupdate.tls;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The names and addresses clients may use to reach this host, for the generated certificate's SANs. */
final class LocalNames {
  private static final Logger log = LoggerFactory.getLogger(LocalNames.class);

  private LocalNames() {}

  /** This host's name, or {@code localhost} when the resolver cannot say. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      log.debug("Local host name unknown ({}); using localhost", e.getMessage());
      return "localhost";
    }
  }

  /** localhost, the host name (short and canonical), loopback, and every address of every up interface. */
  static Set<String> all() {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    // A misconfigured resolver must not stop the server from starting; such names are just left out.
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName());
      names.add(local.getCanonicalHostName());
    } catch (UnknownHostException e) {
      log.debug("Local host name unknown ({}); certificate will name addresses only", e.getMessage());
    }
    names.add("127.0.0.1");
    names.add("::1");
    try {
      for (NetworkInterface networkInterface : NetworkInterface.networkInterfaces().toList()) {
        if (!isUp(networkInterface)) continue;
        for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
          names.add(address.getHostAddress());
        }
      }
    } catch (SocketException e) {
      log.debug("Cannot list network interfaces ({}); certificate names loopback only", e.getMessage());
    }
    return names;
  }

  private static boolean isUp(NetworkInterface networkInterface) {
    try {
      return networkInterface.isUp();
    } catch (SocketException e) {
      return false; // vanished while we were listing
    }
  }
}
