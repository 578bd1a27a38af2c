package io.smartupdate.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestReaderTest {
  static final String SHA = "86971f95bea6fce1a7c34add817a8ae3a479a10f09a145e1689ad84502c05f11";
  private static final String ILO = "{\"id\":\"ilo5\",\"class\":\"bmc\",\"file\":\"hpe/ilo5_310.bin\",\"sha256\":\"" + SHA
      + "\",\"size\":1572864,\"version\":\"3.10\",\"versionScheme\":\"hpe-ilo\"";

  private static Baseline read(String json) {
    return ManifestReader.read("repo/baseline.json", Baseline.DEFAULT, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(String json) {
    return assertThrows(ManifestException.class, () -> read(json)).getMessage();
  }

  @Test
  void everyFieldIsReadAndWrittenBackTheSame() {
    String json = "{\"components\":[" + ILO + ",\"name\":\"iLO 5\",\"vendor\":\"HPE\",\"match\":{\"softwareId\":\"1.2.3\","
        + "\"hpeTargets\":[\"00000000-0000-0000-0000-000000000204\"],\"deviceClass\":\"2f7c0e4b\",\"dellComponentId\":\"25227\","
        + "\"pci\":{\"vendor\":\"0x14E4\",\"device\":\"16d7\",\"subvendor\":\"1590\",\"subdevice\":\"020e\"},\"models\":[\"ProLiant DL380 Gen10\"],"
        + "\"systemIds\":[\"0A6B\"],\"nameRegex\":\"^iLO 5$\"},\"minimumActiveVersion\":\"2.10\",\"requires\":[\"rom\"],\"order\":90,"
        + "\"applyTime\":\"onreset\",\"reboot\":\"BMC\",\"criticality\":\"Critical\",\"releaseDate\":\"2026-03-15\"},"
        + "{\"id\":\"rom\",\"class\":\"bios\",\"file\":\"hpe/rom.flash\",\"sha256\":\"" + SHA.toUpperCase() + "\",\"size\":1,"
        + "\"version\":\"2.90_03-15-2026\",\"versionScheme\":\"hpe-rom\"}]}";
    Baseline b = read(json);
    Component ilo = b.component("ilo5").orElseThrow();
    assertEquals(new Pci("14e4", "16d7", "1590", "020e"), ilo.match().pci());
    assertEquals(List.of("rom"), ilo.requires());
    assertEquals(ApplyTime.OnReset, ilo.applyTime());
    assertEquals(Reboot.BMC, ilo.reboot());
    assertEquals(LocalDate.of(2026, 3, 15), ilo.releaseDate());
    assertEquals(SHA, b.component("rom").orElseThrow().sha256(), "sha-256 is kept in lower case");
    assertEquals(b, ManifestReader.read("again", Baseline.DEFAULT, ManifestWriter.manifest(b.components())));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a typo in a field|,\"verison\":\"1\"|repo/baseline.json: entry \"ilo5\", field \"verison\": unknown field (allowed: applyTime, "
          + "class, criticality, file, id, match, minimumActiveVersion, name, order, reboot, releaseDate, requires, sha256, size, "
          + "vendor, version, versionScheme)",
      "a typo in match|,\"match\":{\"modles\":[\"x\"]}|repo/baseline.json: entry \"ilo5\", field \"match.modles\": unknown field "
          + "(allowed: dellComponentId, deviceClass, hpeTargets, models, nameRegex, pci, softwareId, systemIds)",
      "a regex that does not compile|,\"match\":{\"nameRegex\":\"iLO (5\"}|repo/baseline.json: entry \"ilo5\", field "
          + "\"match.nameRegex\": does not compile: Unclosed group at index 6",
      "a bad pci id|,\"match\":{\"pci\":{\"vendor\":\"14e\"}}|repo/baseline.json: entry \"ilo5\", field \"match.pci.vendor\": "
          + "must be 4 hex digits (8086), not \"14e\"",
      "an unknown apply time|,\"applyTime\":\"Later\"|repo/baseline.json: entry \"ilo5\", field \"applyTime\": applyTime must be "
          + "Immediate or OnReset, not \"Later\"",
      "an unknown reboot|,\"reboot\":\"cold\"|repo/baseline.json: entry \"ilo5\", field \"reboot\": reboot must be none, bmc or "
          + "host, not \"cold\"",
      "a date that is not one|,\"releaseDate\":\"15/03/2026\"|repo/baseline.json: entry \"ilo5\", field \"releaseDate\": must be "
          + "a date YYYY-MM-DD, not \"15/03/2026\"",
      "a minimum its scheme cannot read|,\"minimumActiveVersion\":\"two\"|repo/baseline.json: entry \"ilo5\", field "
          + "\"minimumActiveVersion\": \"two\" is not an iLO version (iLO 5 v3.10, 3.10 Mar 15 2026 or 3.10)",
      "an order that is not a number|,\"order\":\"first\"|repo/baseline.json: entry \"ilo5\", field \"order\": must be a whole number",
      "requires of no entry|,\"requires\":[\"rom\"]|repo/baseline.json: entry \"ilo5\", field \"requires\": no entry has the id \"rom\"",
      "requires itself|,\"requires\":[\"ilo5\"]|repo/baseline.json: entry \"ilo5\", field \"requires\": cycle ilo5 -> ilo5",
      "a number where a string belongs|,\"vendor\":7|repo/baseline.json: entry \"ilo5\", field \"vendor\": must be a string"})
  void aBadFieldIsNamedWithItsEntryAndFile(String what, String extra, String message) {
    assertEquals(message, refusal("{\"components\":[" + ILO + extra + "}]}"), what);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "class|\"class\":\"bmc\"|\"class\":\"gpu\"|class must be one of bmc, bios, nic, storage, cpld, psu, other, not \"gpu\"",
      "file|\"file\":\"hpe/ilo5_310.bin\"|\"file\":\"../etc/passwd\"|\"../etc/passwd\" leaves the repository or names a hidden or empty part",
      "file|\"file\":\"hpe/ilo5_310.bin\"|\"file\":\"/etc/passwd\"|must be a path relative to the repository root, not \"/etc/passwd\"",
      "sha256|\"sha256\":\"" + SHA + "\"|\"sha256\":\"abc\"|must be 64 hex digits, not \"abc\"",
      "size|\"size\":1572864|\"size\":-1|must be the file's size in bytes (a whole number >= 0)",
      "version|\"version\":\"3.10\"|\"version\":\"3.x\"|\"3.x\" is not an iLO version (iLO 5 v3.10, 3.10 Mar 15 2026 or 3.10)",
      "versionScheme|\"versionScheme\":\"hpe-ilo\"|\"versionScheme\":\"ilo\"|versionScheme must be one of dell, dotted, hex, hpe-ilo, "
          + "hpe-rom, label, semver, not \"ilo\"",
      "version|\"version\":\"3.10\",|''|is required"})
  void aBadValueIsRefusedWithTheField(String field, String good, String bad, String why) {
    assertEquals("repo/baseline.json: entry \"ilo5\", field \"" + field + "\": " + why,
        refusal("{\"components\":[" + ILO.replace(good, bad) + "}]}"));
  }

  @Test
  void anEntryWithoutAUsableIdIsNamedByItsIndex() {
    assertEquals("repo/baseline.json: entry #2, field \"id\": is required",
        refusal("{\"components\":[" + ILO + "}," + ILO.replace("\"id\":\"ilo5\",", "") + "}]}"));
  }

  @Test
  void duplicateIdsAreRefused() {
    assertEquals("repo/baseline.json: entry \"ilo5\", field \"id\": \"ilo5\" is already the id of entry #1",
        refusal("{\"components\":[" + ILO + "}," + ILO + "}]}"));
  }

  @Test
  void aCycleThroughSeveralEntriesIsNamedInOrder() {
    String a = ILO.replace("ilo5", "a") + ",\"requires\":[\"b\"]}";
    String b = ILO.replace("ilo5", "b") + ",\"requires\":[\"c\"]}";
    String c = ILO.replace("ilo5", "c") + ",\"requires\":[\"a\"]}";
    assertEquals("repo/baseline.json: entry \"a\", field \"requires\": cycle a -> b -> c -> a",
        refusal("{\"components\":[" + a + "," + b + "," + c + "]}"));
  }

  @Test
  void theFileAsAWholeIsRefusedWhenItIsNotAManifest() {
    assertEquals("repo/baseline.json: must be a JSON object {\"components\":[...]}", refusal("[]"));
    assertEquals("repo/baseline.json, field \"component\": unknown field (allowed: components, description)",
        refusal("{\"component\":[]}"));
    assertEquals("repo/baseline.json, field \"components\": must be an array of entries", refusal("{\"components\":{}}"));
    String broken = refusal("{\"components\":[}");
    assertEquals(true, broken.startsWith("repo/baseline.json: is not valid JSON: ") && broken.endsWith("at line 1"), broken);
  }

  @Test
  void aServedBaselineKeepsItsMismatches() {
    String json = "{\"name\":\"gen10\",\"file\":\"baselines/gen10.json\",\"components\":[" + ILO
        + ",\"mismatch\":true,\"problem\":\"sha-256 differs\"}," + ILO.replace("ilo5", "rom") + ",\"mismatch\":false}]}";
    ServedBaseline served = ManifestReader.readServed("http://server/api/baselines/gen10", json.getBytes(StandardCharsets.UTF_8));
    assertEquals("gen10", served.baseline().name());
    assertEquals(2, served.baseline().components().size());
    assertEquals(Map.of("ilo5", "sha-256 differs"), served.mismatches());
  }
}
