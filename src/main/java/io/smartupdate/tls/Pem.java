package io.smartupdate.tls;

import java.util.Base64;

/** PEM text encoding shared by the certificate builder and the certificate store. */
final class Pem {
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private Pem() {}

  /** {@code der} wrapped as {@code -----BEGIN type-----}, 64 characters a line, as OpenSSL writes it. */
  static String encode(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
