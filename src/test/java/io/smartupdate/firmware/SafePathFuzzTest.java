package io.smartupdate.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smartupdate.core.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fuzzes the decoding of a firmware URL's raw tail. The input's bytes, read as UTF-8, are the raw
 * tail (what follows {@code /firmware/}). Invariant: 400 or 404 ({@link Problem.BadInput},
 * {@link Problem.NotFound}), or a relative path that cannot leave the repository nor name a hidden
 * or unprintable file. Seeds: {@code src/test/resources/io/smartupdate/firmware/SafePathFuzzTestInputs/decode}.
 */
class SafePathFuzzTest {
  private static final Path ROOT = Path.of("/srv/repo");

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"%2e", "%2E", "%2f", "%2F", "%5c", "%00", "%25", "%c0%ae", "%C3%A9", "..", "./", "//", "\\", ".git", "C:"})
  void decode(byte[] input) {
    String raw = new String(input, StandardCharsets.UTF_8);
    String path;
    try {
      path = SafePath.decode(raw);
    } catch (Problem.BadInput | Problem.NotFound expected) {
      return;
    }
    assertFalse(path.isEmpty(), raw);
    assertFalse(path.startsWith("/") || path.endsWith("/"), raw + " -> " + path);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      assertFalse(c < 0x20 || c == 0x7f || c == '\\' || c == '%', raw + " -> " + path);
    }
    for (String segment : path.split("/", -1)) {
      assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals(".."), raw + " -> " + path);
      assertTrue(RepositoryPolicy.visible(segment), raw + " -> " + path);
    }
    assertFalse(path.matches("^[A-Za-z]:.*"), raw + " -> " + path);
    Path resolved = ROOT.resolve(path);
    assertEquals(resolved, resolved.normalize(), raw + " -> " + path);
    assertTrue(resolved.startsWith(ROOT) && !resolved.equals(ROOT), raw + " -> " + path);
  }
}
