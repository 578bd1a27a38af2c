package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.ftpserver.usermanager.SaltedPasswordEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FtpPasswordHashTest {
  @Test
  void entryHoldsAHomeAndASaltedHashThatMatchesOnlyThePassword() {
    String[] lines = FtpPasswordHash.entry("bmc-lab", "pa55word").split("\n");
    assertEquals(2, lines.length);
    assertEquals("ftpserver.user.bmc-lab.homedirectory=/", lines[0]);
    assertTrue(lines[1].startsWith("ftpserver.user.bmc-lab.userpassword="), lines[1]);
    String stored = lines[1].substring(lines[1].indexOf('=') + 1);
    assertTrue(stored.contains(":"), "salt:hash");
    assertTrue(new SaltedPasswordEncryptor().matches("pa55word", stored));
    assertFalse(new SaltedPasswordEncryptor().matches("pa55wore", stored));
  }

  @Test
  void eachEntryIsFreshlySalted() {
    assertNotEquals(FtpPasswordHash.entry("a", "same"), FtpPasswordHash.entry("a", "same"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "anonymous", "a b", "x=y", "a:b", ".dot", "-dash", "é"})
  void unsafeUserNamesAreRefused(String user) {
    assertThrows(IllegalArgumentException.class, () -> FtpPasswordHash.entry(user, "pw"));
  }
}
