package io.smartupdate.firmware;

import io.smartupdate.core.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw (percent-encoded) tail of a firmware URL into a relative path that cannot leave
 * the repository. Anything ambiguous is refused rather than normalised: a BMC never needs it.
 */
final class SafePath {
  private SafePath() {}

  /** Returns the decoded relative path ("dir/file.bin"), or throws 400/404. */
  static String decode(String raw) {
    if (raw.isEmpty()) throw new Problem.NotFound("no directory listings; GET /api/catalog lists the images");
    String decoded = percentDecode(raw);
    if (decoded.indexOf('%') >= 0) throw bad(raw, "double-encoded characters are not accepted");
    if (decoded.indexOf('\\') >= 0) throw bad(raw, "backslashes are not path separators here");
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) throw bad(raw, "control characters (such as NUL) are not accepted");
    }
    if (decoded.endsWith("/")) throw new Problem.NotFound("no directory listings; GET /api/catalog lists the images");
    String[] segments = decoded.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) throw bad(raw, "empty path segments ('//') are not accepted");
      if (segment.equals(".") || segment.equals("..")) throw bad(raw, "'.' and '..' segments are not accepted");
    }
    if (isDrive(segments[0])) throw bad(raw, "drive letters are not accepted");
    if (!RepositoryPolicy.visiblePath(decoded)) throw new Problem.NotFound("no image at " + decoded);
    return decoded;
  }

  /** {@code C:...}: an ASCII letter and a colon (a regex here was a tenth of a small GET's own work). */
  private static boolean isDrive(String segment) {
    if (segment.length() < 2 || segment.charAt(1) != ':') return false;
    char c = segment.charAt(0);
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static boolean isPlainAscii(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' || c > 0x7f) return false;
    }
    return true;
  }

  private static Problem.BadInput bad(String raw, String why) {
    return new Problem.BadInput("bad_path", "firmware path '" + printable(raw) + "' refused: " + why);
  }

  private static String printable(String raw) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < raw.length() && b.length() < 200; i++) {
      char c = raw.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  private static String percentDecode(String raw) {
    if (isPlainAscii(raw)) return raw; // the usual path: nothing to decode, and ASCII is valid UTF-8
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) throw bad(raw, "truncated percent-escape");
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw bad(raw, "invalid percent-escape");
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x7f) {
        throw bad(raw, "non-ASCII characters must be percent-encoded");
      } else {
        out.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad(raw, "not valid UTF-8");
    }
  }
}
