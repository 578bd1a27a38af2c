package io.smartupdate.objectstore;

import java.io.IOException;

/** A fill whose bytes do not have the SHA-256 the object was declared with: the copy is dropped, never served. */
final class DigestMismatch extends IOException {
  final String expected;

  DigestMismatch(String url, Declared declared, String actual) {
    super(url + ": the bucket sent bytes with sha-256 " + actual + ", but " + declared.source() + " declares " + declared.sha256()
        + "; the copy was dropped (fix the object or what declares its digest)");
    this.expected = declared.sha256();
  }

  /** The SHA-256 an object is declared to have, and who declares it (for messages). */
  record Declared(String sha256, String source) {
    Declared {
      if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, not " + sha256);
    }
  }
}
