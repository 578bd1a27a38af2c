package io.smartupdate.ftp;

import io.smartupdate.testing.Ports;
import io.smartupdate.testing.Samples;
import io.smartupdate.tls.HeldCertificate;
import io.smartupdate.tls.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A test repository with a secret next to it (reachable only by escaping), a certificate, a config. */
final class FtpFixture {
  static final String SECRET = "TOP-SECRET-OUTSIDE-THE-REPOSITORY";

  /** The repository's images and where it lives. */
  record Repo(Path root, byte[] image, byte[] bios) {}

  private FtpFixture() {}

  /**
   * {@code dir/repo} with {@code ilo5_281.bin}, {@code sub/bios_u46.bin}, a hidden file, and links
   * to a file and a directory outside it; the secret also lies in {@code dir} and {@code dir/outside}.
   */
  static Repo repository(Path dir) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    byte[] image = Samples.write(repo.resolve("ilo5_281.bin"), 300_000, 1);
    byte[] bios = Samples.write(repo.resolve("sub/bios_u46.bin"), 70_001, 2);
    Files.writeString(repo.resolve(".hidden"), SECRET);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(dir.resolve("secret.txt"), SECRET);
    Files.createSymbolicLink(repo.resolve("link-secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(repo.resolve("link-outside"), outside);
    return new Repo(repo, image, bios);
  }

  static TlsMaterial tls() {
    HeldCertificate held = HeldCertificate.builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1").build();
    return new TlsMaterial(List.of(held.certificate()), held.keyPair().getPrivate(), "test");
  }

  /** {@code port} with a passive range of ten ports that are free right now (never fixed ports). */
  static FtpConfig config(int port) {
    int first = Ports.freeRange(10);
    return FtpConfig.onPort(port).withPassiveRange(first + "-" + (first + 9));
  }
}
