package io.smartupdate.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The test bucket behaves as S3 does where the server's tests depend on it. */
@Timeout(60)
class S3BucketTest {
  @TempDir Path dir;

  @Test
  void aListingNeverShowsAnObjectWhosePutIsStillUnderWay() throws Exception {
    try (S3Bucket bucket = new S3Bucket(dir);
         S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
             .endpointOverride(bucket.endpoint()).forcePathStyle(true)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Bucket.ACCESS, S3Bucket.SECRET)))
             .build()) {
      // Big enough that listings run while the backend still writes "<key>-<uuid>" (they did, before the filter).
      CompletableFuture<Void> puts = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 4; i++) bucket.put("spp/image" + i + ".bin", new byte[32 << 20]);
      });
      Set<String> seen = new TreeSet<>();
      while (!puts.isDone()) s3.listObjectsV2(b -> b.bucket(S3Bucket.NAME).prefix("spp/")).contents().forEach(o -> seen.add(o.key()));
      puts.join();
      seen.removeAll(Set.of("spp/image0.bin", "spp/image1.bin", "spp/image2.bin", "spp/image3.bin"));
      assertEquals(Set.of(), seen, "listed while still being written");
    }
  }
}
