package io.smartupdate.objectstore;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket through the AWS SDK v2: listing and ranged-free GETs pinned to an ETag. The JDK's URL
 * connection is the HTTP client (no Netty, no Apache client); credentials come from the default
 * chain (environment, system properties, profile, container and instance roles).
 */
final class Bucket implements AutoCloseable {
  /** The user metadata key (x-amz-meta-sha256 on the wire) an uploader declares an object's SHA-256 in. */
  static final String SHA256_METADATA = "sha256";
  private final ObjectStoreConfig config;
  private final S3Client s3;

  Bucket(ObjectStoreConfig config) {
    this.config = config;
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        // Checksums only where S3 requires them: MinIO, Ceph RGW and older stores refuse or ignore the newer ones.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(30)));
    if (config.region() != null) {
      builder.region(Region.of(config.region()));
    } else if (System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null) {
      builder.region(Region.US_EAST_1);
    }
    if (config.endpoint() != null) {
      // Stores at an endpoint of their own are addressed path-style (bucket in the path, not the host name).
      builder.endpointOverride(config.endpoint()).forcePathStyle(true);
    }
    this.s3 = builder.build();
  }

  /** Every object under the prefix (not the "directories"), paths relative to it. */
  List<StoredObject> list() {
    List<StoredObject> objects = new ArrayList<>();
    String prefix = config.prefix().isEmpty() ? "" : config.prefix() + "/";
    String token = null;
    do {
      ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(config.bucket()).prefix(prefix)
          .continuationToken(token).build());
      for (S3Object o : page.contents()) {
        if (o.key().endsWith("/")) continue;
        objects.add(new StoredObject(o.key().substring(prefix.length()), o.size(), o.eTag(), o.lastModified()));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return objects;
  }

  /** The bytes of {@code object}, only if the bucket still holds that version (If-Match). */
  InputStream open(StoredObject object) {
    GetObjectRequest request = GetObjectRequest.builder().bucket(config.bucket()).key(config.key(object.path()))
        .ifMatch("\"" + object.etag() + "\"").build();
    return s3.getObject(request, ResponseTransformer.toInputStream());
  }

  /**
   * The SHA-256 the uploader declared in the object's user metadata ({@code x-amz-meta-sha256}),
   * lower-cased; null when it has none or not 64 hex digits.
   */
  String declaredSha256(StoredObject object) {
    HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(config.key(object.path())).ifMatch("\"" + object.etag() + "\""));
    String sha = head.metadata().get(SHA256_METADATA);
    return sha != null && sha.trim().toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}") ? sha.trim().toLowerCase(Locale.ROOT) : null;
  }

  @Override
  public void close() {
    s3.close();
  }
}
