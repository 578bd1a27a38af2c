package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.objectstore.ObjectStoreConfig;
import io.smartupdate.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** {@code --repo s3://bucket/prefix} and its options, in both the SUM and the GNU forms. */
class BucketOptionsTest {
  @TempDir Path home;

  private ServerConfig parse(String... args) {
    ServeCommand command = new ServeCommand();
    Main.commandLine(command).parseArgs(args);
    return command.toConfig(new InstallLayout(home));
  }

  @Test
  void anS3RepoNamesTheBucketPrefixEndpointRegionAndCache() {
    ServerConfig config = parse("--repo", "s3://fw-lab/spp/2026.09/", "--s3-endpoint", "http://minio.lab:9000", "--s3-region", "eu-west-1",
        "--cache-size", "50G", "--data", "/var/lib/su");
    ObjectStoreConfig bucket = config.objectStore();
    assertEquals("fw-lab", bucket.bucket());
    assertEquals("spp/2026.09", bucket.prefix());
    assertEquals(URI.create("http://minio.lab:9000"), bucket.endpoint());
    assertEquals("eu-west-1", bucket.region());
    assertEquals(50L << 30, bucket.cacheSize());
    assertEquals(Path.of("/var/lib/su/s3-cache"), bucket.cacheDir());
    assertEquals("s3://fw-lab/spp/2026.09", bucket.url());
  }

  @Test
  void sumFormsAndDefaultsWork() {
    ObjectStoreConfig bucket = parse("/repo", "s3://fw-lab", "/cache_size", "800M").objectStore();
    assertEquals("", bucket.prefix());
    assertNull(bucket.endpoint());
    assertNull(bucket.region());
    assertEquals(800L << 20, bucket.cacheSize());
    assertEquals(ObjectStoreConfig.DEFAULT_CACHE_SIZE, parse("--repo", "s3://fw-lab/x").objectStore().cacheSize());
    assertNull(parse("--repo", "/srv/fw").objectStore(), "a directory is no bucket");
  }

  @Test
  void badBucketOptionsAreRefusedNamingTheFix() {
    assertTrue(assertThrows(ParameterException.class, () -> parse("--repo", "s3://Bad_Bucket/x")).getMessage()
        .contains("is not an S3 bucket name"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--repo", "s3://fw-lab", "--cache-size", "lots")).getMessage()
        .contains("must be a size such as 800M or 50G"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--repo", "/srv/fw", "--s3-region", "eu-west-1")).getMessage()
        .contains("need /repo s3://BUCKET/PREFIX"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--repo", "s3://fw-lab", "--s3-endpoint", "ftp://x")).getMessage()
        .contains("http:// or https://"));
  }

  @Test
  void ftpIsRefusedWithABucket() {
    CliRun run = CliRun.of("--repo", "s3://fw-lab/x", "/ftp_port", "0", "--data", home.resolve("d").toString());
    assertEquals(ExitCodes.CONFIG, run.code(), run.err());
    assertTrue(run.err().contains("cannot serve a repository in object storage"), run.err());
  }
}
