package io.smartupdate.firmware;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** One catalog entry; {@code sha256} is null (and {@code pending} true) while a new file is still being hashed. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record FirmwareImage(String path, long size, String sha256, String modified, String url, boolean pending) {
  public FirmwareImage {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(url, "url == null");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
  }
}
