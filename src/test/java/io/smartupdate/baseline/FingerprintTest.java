package io.smartupdate.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  private static Fingerprint of(Map<String, Fingerprint.Entry> entries) {
    return new Fingerprint(entries);
  }

  @Test
  void theSameComponentsGiveTheSameDigestInAnyOrderAndNoChanges() {
    Fingerprint one = of(Map.of("ilo", new Fingerprint.Entry("2.00", SHA_A, "hpe/ilo.bin"), "rom", new Fingerprint.Entry("2.20", SHA_B, "rom.flash")));
    Fingerprint two = of(Map.of("rom", new Fingerprint.Entry("2.20", SHA_B, "rom.flash"), "ilo", new Fingerprint.Entry("2.00", SHA_A, "hpe/ilo.bin")));
    assertEquals(one.digest(), two.digest());
    assertEquals(List.of(), two.changesSince(one));
  }

  @Test
  void eachChangeIsNamedByComponentWithOldAndNew() {
    Fingerprint before = of(Map.of("ilo", new Fingerprint.Entry("2.00", SHA_A, "hpe/ilo.bin"), "rom", new Fingerprint.Entry("2.20", SHA_A, "rom.flash"),
        "bmc", new Fingerprint.Entry("1.0", SHA_A, "bmc.bin"), "old", new Fingerprint.Entry("1.0", SHA_A, "old.bin"),
        "cpld", new Fingerprint.Entry("3", SHA_A, "cpld.bin"), "nvme", new Fingerprint.Entry("4", SHA_A, "nvme.bin")));
    Fingerprint now = of(Map.of("ilo", new Fingerprint.Entry("2.10", SHA_B, "hpe/ilo.bin"), "rom", new Fingerprint.Entry("2.20", SHA_B, "rom.flash"),
        "bmc", new Fingerprint.Entry("1.0", SHA_A, "bmc2.bin"), "nic", new Fingerprint.Entry("1.1", SHA_A, "nic.bin"),
        "cpld", new Fingerprint.Entry("3", SHA_A, "cpld.bin", ApplyTime.OnReset, null),
        "nvme", new Fingerprint.Entry("4", SHA_A, "nvme.bin", null, Reboot.HOST)));
    assertNotEquals(before.digest(), now.digest());
    assertEquals(List.of("component bmc: file bmc.bin -> bmc2.bin", "component cpld: apply time Immediate -> OnReset",
        "component ilo: version 2.00 -> 2.10", "component nic added (1.1)", "component nvme: reboot none -> host",
        "component old removed (was 1.0)", "component rom: sha-256 aaaaaaaaaaaa… -> bbbbbbbbbbbb…"), now.changesSince(before));
  }
}
