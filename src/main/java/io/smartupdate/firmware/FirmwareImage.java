package io.smartupdate.firmware;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One catalog entry; {@code sha256} is null (and {@code pending} true) while a new file is still being
 * hashed. {@code component} is the manifest entry describing the file (null when none does),
 * {@code baselines} the baselines holding it, {@code mismatch} and {@code problem} say when the file
 * is not the component its entry describes (then it is never offered as that component).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record FirmwareImage(String path, long size, String sha256, String modified, String url, boolean pending,
    ObjectNode component, List<String> baselines, boolean mismatch, String problem) {
  public FirmwareImage {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(modified, "modified == null");
    Objects.requireNonNull(url, "url == null");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    baselines = baselines == null ? List.of() : List.copyOf(baselines);
  }
}
