package io.smartupdate.objectstore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A repository in S3-compatible object storage: {@code s3://bucket/prefix}, an endpoint for
 * MinIO, Ceph RGW and the like (path-style requests then), the region, and the local cache.
 * Credentials are never part of it: they come from the AWS default chain.
 *
 * @param endpoint null for AWS itself
 * @param region null for the chain's region, or us-east-1 when it has none
 * @param cacheSize the cache's cap in bytes
 * @param refresh how often the bucket is listed again (changed objects are picked up then)
 */
public record ObjectStoreConfig(String bucket, String prefix, URI endpoint, String region, Path cacheDir, long cacheSize,
    Duration refresh) {
  public static final long DEFAULT_CACHE_SIZE = 20L * 1024 * 1024 * 1024;
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

  public ObjectStoreConfig {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("bucket '" + bucket + "' is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
    }
    prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new IllegalArgumentException("s3 endpoint must be an http:// or https:// URL, not '" + endpoint + "'");
    }
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (cacheSize <= 0) throw new IllegalArgumentException("cacheSize must be positive, not " + cacheSize);
    Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative() || refresh.isZero()) throw new IllegalArgumentException("refresh must be positive, not " + refresh);
  }

  /** Whether a --repo value names object storage rather than a directory. */
  public static boolean isBucketUrl(String repo) {
    return repo != null && repo.startsWith("s3://");
  }

  /** Parses {@code s3://bucket[/prefix]}; the rest as given. */
  public static ObjectStoreConfig of(String url, URI endpoint, String region, Path cacheDir, long cacheSize) {
    if (!isBucketUrl(url)) throw new IllegalArgumentException("repo '" + url + "' is not an s3://bucket/prefix URL");
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    return new ObjectStoreConfig(bucket, prefix, endpoint, region, cacheDir, cacheSize, DEFAULT_REFRESH);
  }

  public ObjectStoreConfig withRefresh(Duration every) {
    return new ObjectStoreConfig(bucket, prefix, endpoint, region, cacheDir, cacheSize, every);
  }

  /** The key of {@code path} in the bucket. */
  String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  /** {@code s3://bucket/prefix}, for messages. */
  public String url() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }
}
