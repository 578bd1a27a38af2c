package io.smartupdate.server;

import io.smartupdate.firewall.PortSpec;
import io.smartupdate.ftp.FtpConfig;
import io.smartupdate.handoff.HandoffConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP ports a server listens on, in the order it binds them: what {@code smartupdate ports}
 * prints, {@code /health} shows and {@code /open_firewall} opens, computed in {@link #of} only.
 *
 * @param listeners the single ports by name ({@code http}, {@code https}, {@code ftp} when on)
 * @param all every port and range with what it is for, listeners first
 */
public record PortsInUse(Map<String, Integer> listeners, List<PortSpec> all) {
  public PortsInUse {
    listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
    all = List.copyOf(all);
  }

  /** The ports of HTTP, HTTPS, FTP and its passive range (when {@code ftp} is not null), and the hand-off range. */
  public static PortsInUse of(int http, int https, FtpConfig ftp, HandoffConfig handoff) {
    Map<String, Integer> listeners = new LinkedHashMap<>();
    listeners.put("http", http);
    listeners.put("https", https);
    if (ftp != null) listeners.put("ftp", ftp.port());
    List<PortSpec> all = new ArrayList<>();
    all.add(PortSpec.single(http, "HTTP"));
    all.add(PortSpec.single(https, "HTTPS"));
    if (ftp != null) {
      all.add(PortSpec.single(ftp.port(), "FTP"));
      all.add(new PortSpec(ftp.passive().first(), ftp.passive().last(), "FTP passive"));
    }
    all.add(new PortSpec(handoff.firstPort(), handoff.lastPort(), "hand-off"));
    return new PortsInUse(listeners, all);
  }
}
