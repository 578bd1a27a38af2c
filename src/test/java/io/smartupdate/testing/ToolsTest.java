package io.smartupdate.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Strict is the default whatever the environment says; only the explicit opt-out relaxes it. */
class ToolsTest {
  @Test
  void strictUnlessTheDeveloperOptsOut() {
    assertTrue(Tools.strict(null), "no variable: strict (CI=true or not)");
    assertTrue(Tools.strict(""), "empty: strict");
    assertTrue(Tools.strict("true"), "only 1 opts out");
    assertFalse(Tools.strict("1"), Tools.LENIENT + "=1 skips instead of failing");
  }
}
