package io.smartupdate.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.LongPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OwnerTagTest {
  @Test
  void formatsAndParsesTheTag() {
    OwnerTag tag = new OwnerTag("63001", 4242);
    assertEquals("smartupdate:63001:4242", tag.toString());
    assertEquals(Optional.of(tag), OwnerTag.parse("smartupdate:63001:4242"));
    assertEquals(Optional.of(tag), OwnerTag.parse(" smartupdate:63001:4242 "), "firewalld log prefixes end with a space");
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin ssh", "smartupdate:manual", "smartupdate:x:", "smartupdate:x:12abc", "smartupdate::12",
      "xsmartupdate:x:12", "smartupdate:x:12:extra", ""})
  void foreignCommentsAreNotOurs(String comment) {
    assertEquals(Optional.empty(), OwnerTag.parse(comment));
  }

  @Test
  void aRuleOfADeadPidIsStaleOneOfALivePidIsNot() {
    LongPredicate alive = pid -> pid == 100;
    assertTrue(new OwnerTag("a", 99).isStale(7, alive, tag -> false));
    assertFalse(new OwnerTag("a", 100).isStale(7, alive, tag -> false));
  }

  @Test
  void aRuleWithOurOwnPidIsStaleUnlessAFirewallOfThisProcessHoldsIt() {
    OwnerTag mine = new OwnerTag("a", 7);
    assertTrue(mine.isStale(7, pid -> true, tag -> false), "a crashed run whose pid we now have");
    assertFalse(mine.isStale(7, pid -> true, tag -> tag.equals(mine)), "another server in this JVM");
  }

  @Test
  void theRealProcessTableDecides() {
    LongPredicate alive = HostFirewall.Host.local().alive();
    assertTrue(alive.test(ProcessHandle.current().pid()));
    assertFalse(alive.test(999_999_999L));
  }

  @Test
  void instanceNamesAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OwnerTag("a b", 1));
    assertTrue(e.getMessage().contains("instance 'a b'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new OwnerTag("x".repeat(33), 1));
  }
}
