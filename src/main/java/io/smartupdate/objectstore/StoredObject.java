package io.smartupdate.objectstore;

import java.time.Instant;
import java.util.Objects;

/**
 * One image in the bucket as its listing gives it: the path under the prefix, size, the bucket's
 * ETag and Last-Modified. The ETag and date are the object's own, so every server derives the same
 * HTTP validators from them.
 */
public record StoredObject(String path, long size, String etag, Instant lastModified) {
  public StoredObject {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) throw new IllegalArgumentException("size must be >= 0, not " + size);
    etag = etag.replace("\"", "");
  }
}
