package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortSpecTest {
  @Test
  void singlePortsAndRangesHaveTheirToolForms() {
    PortSpec http = PortSpec.single(63001, "HTTP");
    PortSpec handoff = PortSpec.range("63010-63099", "hand-off");
    assertEquals("63001", http.text());
    assertEquals("63010-63099", handoff.text());
    assertEquals("63010:63099", handoff.iptablesText());
    assertEquals(90, handoff.size());
    assertTrue(handoff.isRange());
    assertFalse(http.isRange());
    assertEquals("63010-63099 (hand-off)", handoff.toString());
  }

  @Test
  void rangeParsingToleratesSpacesAndSinglePorts() {
    assertEquals(new PortSpec(63100, 63199, "FTP passive"), PortSpec.range(" 63100 - 63199 ", "FTP passive"));
    assertEquals(new PortSpec(21, 21, "FTP"), PortSpec.range("21", "FTP"));
  }

  @Test
  void badValuesAreRefusedWithMessagesNamingThem() {
    assertEquals("first port 0 of HTTP is not in 1-65535 (port 0 must be bound before the firewall opens it)",
        assertThrows(IllegalArgumentException.class, () -> PortSpec.single(0, "HTTP")).getMessage());
    assertEquals("last port 63000 of hand-off must be in 63010-65535",
        assertThrows(IllegalArgumentException.class, () -> new PortSpec(63010, 63000, "hand-off")).getMessage());
    assertEquals("hand-off ports 'a-b' must look like 63010-63099",
        assertThrows(IllegalArgumentException.class, () -> PortSpec.range("a-b", "hand-off")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> PortSpec.single(70000, "HTTP"));
    assertThrows(IllegalArgumentException.class, () -> PortSpec.single(80, "quote\""));
    assertThrows(IllegalArgumentException.class, () -> PortSpec.single(80, null));
  }

  @Test
  void overlapIsInclusive() {
    assertTrue(new PortSpec(10, 20, "a").overlaps(new PortSpec(20, 30, "b")));
    assertFalse(new PortSpec(10, 20, "a").overlaps(new PortSpec(21, 30, "b")));
  }
}
