package io.smartupdate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JssePropertiesTest {
  @Test
  void loadingTlsMaterialSetsThePolicyProperties() {
    TestKeys.material(TestKeys.server(false, 30)); // initialises TlsMaterial, as the server does first

    JsseProperties.ENFORCED.forEach((name, value) -> assertEquals(value, System.getProperty(name), name));
    assertEquals("true", System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation"));
  }

  @Test
  void operatorCanTuneTheStaplingTimeoutButNotThePolicy() {
    String timeout = System.getProperty("jdk.tls.stapling.responseTimeout");
    try {
      System.setProperty("jdk.tls.stapling.responseTimeout", "3500");
      System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "false");

      JsseProperties.install();

      assertEquals("3500", System.getProperty("jdk.tls.stapling.responseTimeout"));
      assertEquals("true", System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation"));
    } finally {
      if (timeout == null) System.clearProperty("jdk.tls.stapling.responseTimeout");
      else System.setProperty("jdk.tls.stapling.responseTimeout", timeout);
      JsseProperties.install();
    }
  }
}
