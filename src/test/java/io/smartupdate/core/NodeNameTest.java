package io.smartupdate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NodeNameTest {
  @Test
  void scopedIpv6ClientAddressBecomesAValidNodeName() throws Exception {
    String scoped = InetAddress.getByName("fe80::1%1").getHostAddress();
    assertTrue(scoped.contains("%"), scoped);
    assertFalse(NodeName.valid(scoped), "a raw scoped address is not a node name");
    String node = NodeName.fromAddress(scoped);
    assertTrue(NodeName.valid(node), node);
    assertEquals("fe80:0:0:0:0:0:0:1.1", node);
  }

  @Test
  void requireNamesTheFieldAndStatesTheRule() {
    Problem.BadInput e = assertThrows(Problem.BadInput.class, () -> NodeName.require("node", "a b"));
    assertEquals("invalid_node", e.code());
    assertTrue(e.detail().startsWith("node must be 1-128 characters"), e.detail());
    assertEquals("ilo-10.0.0.5", NodeName.require("node", "ilo-10.0.0.5"));
    assertFalse(NodeName.valid("n".repeat(129)));
  }

  @Test
  void validAgreesWithThePatternOnEveryCharacterAndLength() {
    for (char c = 0; c < 0x3000; c++) {
      String name = "a" + c;
      assertEquals(NodeName.PATTERN.matcher(name).matches(), NodeName.valid(name), "character U+" + Integer.toHexString(c));
    }
    assertFalse(NodeName.valid(""));
    assertFalse(NodeName.valid(null));
    assertTrue(NodeName.valid("n".repeat(128)));
    assertTrue(NodeName.valid("A-Z_a.z:0-9"));
    assertFalse(NodeName.valid("\ud83d\ude00"));
  }
}
