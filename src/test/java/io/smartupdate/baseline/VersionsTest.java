package io.smartupdate.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class VersionsTest {
  @ParameterizedTest(name = "[{0}] {1} against {2}: {3} ({4})")
  @CsvFileSource(resources = "version-pairs.csv", delimiter = '|', numLinesToSkip = 1)
  void realWorldPairsCompareAsTheVendorMeansThem(String scheme, String installed, String available, VersionOrder expected,
      String what) {
    assertEquals(expected, Versions.compare(scheme, installed, available), what);
  }

  @ParameterizedTest(name = "[{0}] {2} against {1} is the mirror image")
  @CsvFileSource(resources = "version-pairs.csv", delimiter = '|', numLinesToSkip = 1)
  void swappingThePairMirrorsTheOrder(String scheme, String installed, String available, VersionOrder expected) {
    VersionOrder mirrored = switch (expected) {
      case OLDER -> VersionOrder.NEWER;
      case NEWER -> VersionOrder.OLDER;
      default -> expected;
    };
    assertEquals(mirrored, Versions.compare(scheme, available, installed));
  }

  @ParameterizedTest(name = "[{0}] {1} against {2}")
  @CsvFileSource(resources = "version-pairs.csv", delimiter = '|', numLinesToSkip = 1)
  void unknownNamesBothStrings(String scheme, String installed, String available, VersionOrder expected) {
    VersionComparison c = Versions.explain(scheme, installed, available);
    if (expected != VersionOrder.UNKNOWN) return;
    assertTrue(c.reason().contains("\"" + installed + "\"") && c.reason().contains("\"" + available + "\""), c.reason());
  }

  @Test
  void reasonSaysWhyFamiliesCannotBeCompared() {
    assertEquals("cannot compare \"U46 v2.90 (03/15/2026)\" with \"U54_2.90_03_15_2026\" (hpe-rom): "
        + "ROM families U46 and U54 are different platforms",
        Versions.explain("hpe-rom", "U46 v2.90 (03/15/2026)", "U54_2.90_03_15_2026").reason());
  }

  @Test
  void schemeNamesAreCaseInsensitive() {
    assertEquals(VersionOrder.OLDER, Versions.compare("SemVer", "1.0.0-rc.1", "1.0.0"));
  }

  @Test
  void checkRefusesAVersionItsSchemeCannotRead() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Versions.check("semver", "1.2"));
    assertTrue(e.getMessage().contains("\"1.2\""), e.getMessage());
    Versions.check("hpe-rom", "2.90_03-15-2026");
  }

  @Test
  void checkSchemeListsTheKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Versions.checkScheme("hpe"));
    assertEquals("versionScheme must be one of dell, dotted, hex, hpe-ilo, hpe-rom, label, semver, not \"hpe\"", e.getMessage());
  }
}
