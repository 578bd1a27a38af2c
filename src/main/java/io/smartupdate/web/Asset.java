package io.smartupdate.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One file of the page, held in memory with its strong ETag (the start of its SHA-256). */
record Asset(byte[] bytes, String contentType, String version) {
  static final String DIR = "/io/smartupdate/web/";

  Asset(byte[] bytes, String contentType) {
    this(bytes, contentType, hash(bytes));
  }

  String etag() {
    return '"' + version + '"';
  }

  /** Reads {@code name} from the jar; a missing one is a broken build, not a runtime condition. */
  static byte[] read(String name) {
    try (InputStream in = Asset.class.getResourceAsStream(DIR + name)) {
      if (in == null) throw new IllegalStateException("web asset " + DIR + name + " is missing from the jar; rebuild it");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web asset " + name, e);
    }
  }

  static String text(String name) {
    return new String(read(name), StandardCharsets.UTF_8);
  }

  private static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
