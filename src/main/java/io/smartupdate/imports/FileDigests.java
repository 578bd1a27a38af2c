package io.smartupdate.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 (what Dell's catalog gives) and SHA-256 (what the manifest keeps) of a file, in one read. */
record FileDigests(long size, String md5, String sha256) {
  static FileDigests of(Path file) throws IOException {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size = 0;
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          md5.update(buffer, 0, n);
          sha.update(buffer, 0, n);
          size += n;
        }
      }
      return new FileDigests(size, HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
