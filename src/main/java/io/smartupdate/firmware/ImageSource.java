package io.smartupdate.firmware;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where images come from: a local directory ({@link FirmwareRepository}) or object storage behind
 * a local cache ({@link BucketImages}). The handlers serve either the same way: an open gives a
 * file channel and a version whose validators the HTTP layer turns into headers.
 */
interface ImageSource {
  /** Resolves a raw URL tail and opens the image; not found, bad input, changed or unavailable as Problems. */
  FirmwareRepository.OpenImage open(String rawTail) throws IOException;

  /** The digest when known; null otherwise (a local source starts hashing then). */
  String digestOrStartHashing(ImageVersion version);

  CompletableFuture<String> digest(ImageVersion version);

  /** Every servable image, sorted by path. */
  List<ImageVersion> scan();

  /** Whether {@link #open} may block (a fill from the bucket), so it must run off the IO threads. */
  default boolean blocks() {
    return false;
  }
}
