package io.smartupdate.redfish;

import io.smartupdate.core.NodeName;
import java.net.URI;
import java.util.Locale;

/**
 * One BMC to deploy to: {@code host[:port]} (https, port 443 by default), the account, and a
 * dialect hint ({@code /targettype}: ilo5, ilo6, idrac, openbmc, redfish) that only names the node.
 * The password is never printed: {@link #toString} leaves it out.
 */
public record Bmc(String address, String user, String password, String hint) {
  public Bmc {
    if (address == null || address.isBlank()) throw new IllegalArgumentException("BMC address: must be HOST or HOST:PORT");
    if (address.contains("/") || address.contains("@") || address.contains(" ")) {
      throw new IllegalArgumentException("BMC address '" + address + "': must be HOST or HOST:PORT, without scheme, user or path");
    }
    if (user == null || user.isBlank()) throw new IllegalArgumentException("BMC " + address + ": no user (pass --user or a user on its --bmc-file line)");
    if (password == null) {
      throw new IllegalArgumentException("BMC " + address + ": no password (pass --password-file FILE or set SMARTUPDATE_BMC_PASSWORD)");
    }
    base(address); // validates the host and port
  }

  /** The host as given (no port). */
  public String host() {
    return base(address).getHost().replaceAll("^\\[|]$", "");
  }

  /** {@code https://host:port}: BMCs speak Redfish over TLS only. */
  URI base() {
    return base(address);
  }

  private static URI base(String address) {
    try {
      URI uri = URI.create("https://" + address);
      if (uri.getHost() == null) throw new IllegalArgumentException();
      if (uri.getPort() > 65535) throw new IllegalArgumentException();
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("BMC address '" + address + "': must be HOST or HOST:PORT");
    }
  }

  /** The node name its status events go under: {@code <hint or bmc>-<address>}. */
  public String node() {
    String prefix = hint == null || hint.isBlank() ? "bmc" : hint.toLowerCase(Locale.ROOT);
    String name = (prefix + "-" + address).replaceAll("[^A-Za-z0-9._:-]", "_");
    return NodeName.valid(name) ? name : name.substring(0, 128);
  }

  @Override
  public String toString() {
    return "Bmc[" + address + ", user=" + user + "]";
  }
}
