package io.smartupdate.firewall;

import io.smartupdate.core.PortRange;
import java.util.regex.Pattern;

/**
 * A local TCP port or port range in use, and why: {@code new PortSpec(63001, 63001, "HTTP")},
 * {@code PortSpec.range("63010-63099", "hand-off")}.
 *
 * @param first lowest port, 1-65535
 * @param last highest port, {@code first}-65535 ({@code == first} for a single port)
 * @param why what listens there ("HTTP", "HTTPS", "FTP", "FTP passive", "hand-off"), shown to the operator
 */
public record PortSpec(int first, int last, String why) {
  private static final Pattern WHY = Pattern.compile("[A-Za-z0-9 ._()/-]{1,40}");

  public PortSpec {
    if (first < 1 || first > 65535) {
      throw new IllegalArgumentException("first port " + first + " of " + why + " is not in 1-65535 (port 0 must be bound before the firewall opens it)");
    }
    if (last < first || last > 65535) {
      throw new IllegalArgumentException("last port " + last + " of " + why + " must be in " + first + "-65535");
    }
    if (why == null || !WHY.matcher(why).matches()) {
      throw new IllegalArgumentException("why '" + why + "' must be 1-40 letters, digits, spaces or ._()/-");
    }
  }

  public static PortSpec single(int port, String why) {
    return new PortSpec(port, port, why);
  }

  /** Parses {@code "A-B"} or {@code "A"}; the message names {@code why} on failure. */
  public static PortSpec range(String text, String why) {
    PortRange range;
    try {
      range = PortRange.parse(text, true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(why + " ports '" + text + "' must look like 63010-63099");
    }
    return new PortSpec(range.first(), range.last(), why);
  }

  public boolean isRange() {
    return last != first;
  }

  public int size() {
    return last - first + 1;
  }

  public boolean overlaps(PortSpec other) {
    return first <= other.last && other.first <= last;
  }

  /** {@code "63001"} or {@code "63010-63099"}: the nft, firewalld and human form. */
  public String text() {
    return isRange() ? first + "-" + last : Integer.toString(first);
  }

  /** {@code "63001"} or {@code "63010:63099"}: the iptables {@code --dport} form. */
  String iptablesText() {
    return isRange() ? first + ":" + last : Integer.toString(first);
  }

  @Override
  public String toString() {
    return text() + " (" + why + ")";
  }
}
