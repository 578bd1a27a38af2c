/**
 * A firmware repository in S3-compatible object storage ({@code --repo s3://bucket/prefix}):
 * the bucket through the AWS SDK v2 ({@link io.smartupdate.objectstore.Bucket}), the local cache
 * keyed by SHA-256 with LRU eviction, pins and atomic fills, and the {@link
 * io.smartupdate.objectstore.ObjectStore} that lists, refreshes and reports outages. Knows nothing of
 * HTTP: {@code firmware} serves what it opens. Uses {@code core}.
 */
package io.smartupdate.objectstore;
