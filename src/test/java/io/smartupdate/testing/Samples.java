package io.smartupdate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Deterministic test images. */
public final class Samples {
  private Samples() {}

  public static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  public static byte[] write(Path file, int size, long seed) throws IOException {
    byte[] data = bytes(size, seed);
    Files.createDirectories(file.getParent());
    Files.write(file, data);
    return data;
  }

  public static Path writePath(Path file, int size, long seed) throws IOException {
    write(file, size, seed);
    return file;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
