package io.smartupdate.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM text encoding shared by the certificate builder and the certificate store. */
final class Pem {
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /** One {@code -----BEGIN type-----} block, decoded. */
  record Block(String type, byte[] der) {}

  private Pem() {}

  /** {@code der} wrapped as {@code -----BEGIN type-----}, 64 characters a line, as OpenSSL writes it. */
  static String encode(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /**
   * The blocks of {@code text} in order, text around them ignored as OpenSSL does; null when a block has
   * headers (a legacy encrypted key), no matching end line or a body that is not base64: the caller's
   * full parser handles those and names the fault.
   */
  static List<Block> decode(String text) {
    List<Block> blocks = new ArrayList<>();
    for (int at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at)) {
      int typeEnd = text.indexOf(DASHES, at + BEGIN.length());
      if (typeEnd < 0) return null;
      String type = text.substring(at + BEGIN.length(), typeEnd);
      String endLine = END + type + DASHES;
      int bodyStart = typeEnd + DASHES.length();
      int bodyEnd = text.indexOf(endLine, bodyStart);
      if (bodyEnd < 0 || type.indexOf('\n') >= 0) return null;
      String body = text.substring(bodyStart, bodyEnd);
      if (body.indexOf(':') >= 0) return null;
      try {
        blocks.add(new Block(type, Base64.getMimeDecoder().decode(body.strip())));
      } catch (IllegalArgumentException e) {
        return null;
      }
      at = bodyEnd + endLine.length();
    }
    return blocks;
  }
}
