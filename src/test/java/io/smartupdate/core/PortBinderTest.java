package io.smartupdate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortBinderTest {
  private final List<Integer> tried = new ArrayList<>();

  private PortBinder.Binder<Integer> taken(Set<Integer> ports) {
    return address -> {
      tried.add(address.getPort());
      // The way MINA reports it: the JDK's BindException wrapped in an IOException.
      if (ports.contains(address.getPort())) {
        throw new IOException("Error while binding on " + address, new BindException("Address already in use"));
      }
      return address.getPort();
    };
  }

  @Test
  void freePortIsBoundAsAsked() {
    assertEquals(2121, PortBinder.bind("FTP", null, 2121, false, taken(Set.of())));
    assertEquals(List.of(2121), tried);
  }

  @Test
  void takenPortsAreSkippedUpward() {
    assertEquals(2123, PortBinder.bind("FTP", null, 2121, false, taken(Set.of(2121, 2122))));
    assertEquals(List.of(2121, 2122, 2123), tried);
  }

  @Test
  void strictPortsFailNamingThePort() {
    StartupException e = assertThrows(StartupException.class, () -> PortBinder.bind("FTP", null, 2121, true, taken(Set.of(2121))));
    assertEquals("FTP port 2121 is already in use (strict ports: free it or choose another port)", e.getMessage());
    assertEquals(List.of(2121), tried);
  }

  @Test
  void fallbackStopsAfterAHundredPorts() {
    Set<Integer> all = new HashSet<>();
    for (int p = 3000; p < 3200; p++) all.add(p);
    StartupException e = assertThrows(StartupException.class, () -> PortBinder.bind("FTP", null, 3000, false, taken(all)));
    assertEquals("FTP ports 3000-3099 are all in use; choose another port", e.getMessage());
    assertEquals(PortBinder.MAX_FALLBACK, tried.size());
  }

  @Test
  void anyFreePortIsTriedOnce() {
    assertThrows(StartupException.class, () -> PortBinder.bind("FTP", null, 0, false, taken(Set.of(0))));
    assertEquals(List.of(0), tried);
  }

  @Test
  void privilegedPortWithoutPrivilegeSaysHowToFixIt() {
    StartupException e = assertThrows(StartupException.class, () -> PortBinder.bind("FTP", null, 21, false,
        address -> { throw new IOException("Error while binding", new SocketException("Permission denied")); }));
    assertTrue(e.getMessage().startsWith("FTP port 21 is privileged (< 1024): "), e.getMessage());
    // The three ways: the service's capability, root, setcap on the Java binary.
    for (String way : List.of("smartupdate service", "CAP_NET_BIND_SERVICE", "run as root", "setcap cap_net_bind_service=+ep")) {
      assertTrue(e.getMessage().contains(way), e.getMessage());
    }
  }

  @Test
  void otherBindFailuresNameTheAddressAndTheCause() {
    StartupException e = assertThrows(StartupException.class, () -> PortBinder.bind("FTP", null, 2121, false,
        address -> { throw new IOException("wrapped", new SocketException("Cannot assign requested address")); }));
    assertEquals("cannot listen for FTP on *:2121: Cannot assign requested address", e.getMessage());
  }
}
