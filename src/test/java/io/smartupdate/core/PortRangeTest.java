package io.smartupdate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PortRangeTest {
  @Test
  void parsesRangesAndSinglePortsOnlyWhenAllowed() {
    assertEquals(new PortRange(63010, 63099), PortRange.parse(" 63010 - 63099 ", false));
    assertEquals(new PortRange(21, 21), PortRange.parse("21", true));
    assertEquals("expected a range A-B", assertThrows(IllegalArgumentException.class, () -> PortRange.parse("21", false)).getMessage());
    assertEquals("expected a range A-B", assertThrows(IllegalArgumentException.class, () -> PortRange.parse("a-b", true)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("90-80", false));
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("1-70000", false));
  }

  @Test
  void highRangesMustStayAbove1024() {
    assertEquals("every port must be above 1024",
        assertThrows(IllegalArgumentException.class, () -> new PortRange(1024, 2000).requireHigh()).getMessage());
    assertEquals(new PortRange(1025, 2000), new PortRange(1025, 2000).requireHigh());
    assertEquals(976, new PortRange(1025, 2000).size());
  }
}
