package io.smartupdate.redfish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Protocol choice, the inventory's match for an image, and BMC addresses and node names. */
class DiscoveryTest {
  private static Discovery offering(String... protocols) {
    return new Discovery("/redfish/v1/UpdateService", "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
        new LinkedHashSet<>(List.of(protocols)), null, null, null, false, null, null, null, Set.of(), Set.of());
  }

  @Test
  void httpsIsPreferredThenHttpThenFtpOnlyWhenTheServerHasIt() {
    assertEquals(TransferProtocol.HTTPS, offering("HTTP", "HTTPS").protocol("b", null, false));
    assertEquals(TransferProtocol.HTTP, offering("HTTP", "NFS").protocol("b", null, false));
    assertEquals(TransferProtocol.FTP, offering("FTP", "TFTP").protocol("b", null, true));
    assertThrows(DeployFailure.class, () -> offering("FTP", "TFTP").protocol("b", null, false));
    assertEquals(TransferProtocol.HTTPS, offering().protocol("b", null, false), "a BMC that lists nothing is not held to a list");
  }

  @Test
  void aRequestedProtocolTheBmcRefusesNamesWhatItAccepts() {
    DeployFailure failure = assertThrows(DeployFailure.class, () -> offering("HTTP", "HTTPS").protocol("10.0.0.5", TransferProtocol.FTP, true));
    assertEquals("BMC 10.0.0.5 does not accept --protocol ftp for SimpleUpdate; it accepts HTTP, HTTPS", failure.getMessage());
    assertEquals("--protocol ftp needs the server's FTP service: start it with --ftp-port N",
        assertThrows(DeployFailure.class, () -> offering("FTP").protocol("b", TransferProtocol.FTP, false)).getMessage());
  }

  @Test
  void theImageMatchesTheMemberNamedInItsFileName() {
    Inventory inventory = new Inventory(List.of(new Inventory.Item("/fw/1", "1", "iLO 5", "2.78", true),
        new Inventory.Item("/fw/2", "2", "System ROM", "U46 v2.90", true)));
    assertEquals("/fw/1", inventory.matching("hpe/ilo5_310.bin").uri());
    assertEquals("2.78", inventory.version("hpe/ilo5_310.bin"));
    assertEquals(null, inventory.matching("dell/BIOS_XYZ.EXE"), "no name in the file: no guess");
    Inventory after = new Inventory(List.of(new Inventory.Item("/fw/1", "1", "iLO 5", "3.10", true), inventory.items().get(1)));
    assertEquals(List.of("2.78", "3.10"), List.of(Inventory.versions(inventory, after, "hpe/ilo5_310.bin")));
    assertEquals(List.of("2.78", "3.10"), List.of(Inventory.versions(inventory, after, "other.bin")), "else the member that changed");
    assertTrue(after.differsFrom(inventory));
  }

  @Test
  void bmcAddressesAreHostAndPortOnlyAndNodesCarryTheHint() {
    assertEquals("ilo5-10.0.0.5", new Bmc("10.0.0.5", "u", "p", "ilo5").node());
    assertEquals("bmc-10.0.0.5:8443", new Bmc("10.0.0.5:8443", "u", "p", null).node());
    assertEquals("10.0.0.5", new Bmc("10.0.0.5:8443", "u", "p", null).host());
    assertEquals("fe80::1", new Bmc("[fe80::1]:443", "u", "p", null).host());
    for (String bad : Set.of("https://10.0.0.5", "admin@10.0.0.5", "10.0.0.5/redfish", "10.0.0.5:99999")) {
      assertThrows(IllegalArgumentException.class, () -> new Bmc(bad, "u", "p", null), bad);
    }
    assertTrue(!new Bmc("10.0.0.5", "u", "hunter2", null).toString().contains("hunter2"), "toString never shows the password");
  }
}
