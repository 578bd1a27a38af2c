package io.smartupdate.firmware;

import io.smartupdate.http.ApiError;
import io.smartupdate.http.Attachments;
import io.smartupdate.http.HttpErrors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET|HEAD /firmware/{path}}: image bytes with RFC 9110 validators, conditionals and
 * ranges. Runs on the IO thread: the work before the first byte is a stat and an open (for a
 * bucket, whose open may wait for a fill, on a worker thread).
 *
 * <pre>curl -C - -O http://host:63001/firmware/hpe/ilo5_310.bin</pre>
 */
final class FirmwareHandler implements HttpHandler {
  static final String PREFIX = "/firmware/";
  private static final HttpString REPR_DIGEST = new HttpString("Repr-Digest");
  private static final String OCTETS = "application/octet-stream";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** IMF-fixdate (RFC 9110 5.6.7); thread-safe, unlike the SimpleDateFormat Undertow's DateUtils uses. */
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** Header values of one version, formatted once: per request they were most of a small GET's own work. */
  private record Validators(ImageVersion version, String etag, String lastModified, String reprDigest) {}

  private static final int MAX_VALIDATORS = 10_000;
  private final ImageSource repository;
  private final Map<String, Validators> validators = new ConcurrentHashMap<>();

  /** This handler again, on a worker thread, with the JSON error mapping that the dispatch leaves behind. */
  private final HttpHandler onWorker;

  FirmwareHandler(ImageSource repository) {
    this.repository = repository;
    this.onWorker = HttpErrors.handler(this);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws IOException {
    if (repository.blocks() && exchange.isInIoThread()) {
      exchange.dispatch(onWorker); // a bucket fill may take a while: a worker thread waits for it
      return;
    }
    String tail = exchange.getRelativePath().substring(PREFIX.length());
    FirmwareRepository.OpenImage image =
        exchange.getRequestMethod().equalToString("HEAD") ? repository.describe(tail) : repository.open(tail);
    exchange.putAttachment(Attachments.FILE_SIZE, image.version().size());
    boolean handedOff = false;
    try {
      handedOff = respond(exchange, image);
    } finally {
      if (!handedOff) image.close();
    }
  }

  /** Returns true when a body writer took ownership of the channel. */
  private boolean respond(HttpServerExchange exchange, FirmwareRepository.OpenImage image) {
    ImageVersion version = image.version();
    Validators formatted = validators(version);
    HeaderMap in = exchange.getRequestHeaders();
    HeaderMap out = exchange.getResponseHeaders();
    boolean head = exchange.getRequestMethod().equalToString("HEAD");
    out.put(Headers.ACCEPT_RANGES, "bytes");
    out.put(Headers.ETAG, formatted.etag());
    out.put(Headers.LAST_MODIFIED, formatted.lastModified());

    switch (Preconditions.evaluate(in.getFirst(Headers.IF_MATCH), in.getFirst(Headers.IF_UNMODIFIED_SINCE),
        in.getFirst(Headers.IF_NONE_MATCH), in.getFirst(Headers.IF_MODIFIED_SINCE), version)) {
      case NOT_MODIFIED:
        exchange.setStatusCode(304);
        exchange.endExchange();
        return false;
      case PRECONDITION_FAILED:
        throw new ApiError(412, "precondition_failed", "the image changed: its ETag is now " + version.etag(),
            Map.of("ETag", version.etag()));
      default:
        break;
    }

    long size = version.size();
    ByteRanges.Result ranges = ByteRanges.Result.IGNORE;
    if (!head && Preconditions.ifRangeMatches(in.getFirst(Headers.IF_RANGE), version)) {
      ranges = ByteRanges.parse(in.getFirst(Headers.RANGE), size);
    }
    if (ranges.unsatisfiable()) {
      throw new ApiError(416, "range_not_satisfiable", "the requested range starts past the end; the image is " + size + " bytes",
          Map.of("Content-Range", "bytes */" + size, "Accept-Ranges", "bytes"));
    }
    if (formatted.reprDigest() != null) out.put(REPR_DIGEST, formatted.reprDigest());

    List<BodyWriter.Part> parts;
    if (ranges.ignored()) {
      exchange.setStatusCode(200);
      out.put(Headers.CONTENT_TYPE, OCTETS);
      out.put(Headers.CONTENT_LENGTH, size);
      parts = List.of(BodyWriter.Part.file(0, size));
    } else if (ranges.ranges().size() == 1) {
      ByteRanges.Range range = ranges.ranges().get(0);
      exchange.setStatusCode(206);
      out.put(Headers.CONTENT_TYPE, OCTETS);
      out.put(Headers.CONTENT_RANGE, range.contentRange(size));
      out.put(Headers.CONTENT_LENGTH, range.length());
      parts = List.of(BodyWriter.Part.file(range.first(), range.length()));
    } else {
      parts = multipart(exchange, ranges.ranges(), size);
    }
    if (head || size == 0) {
      exchange.endExchange();
      return false;
    }
    BodyWriter.send(exchange, image, parts);
    return true;
  }

  /** The header values of {@code version}; the digest is asked for (and its hashing started) until it is known. */
  private Validators validators(ImageVersion version) {
    Validators known = validators.get(version.path());
    if (known != null && known.version().equals(version) && known.reprDigest() != null) return known;
    String digest = repository.digestOrStartHashing(version);
    if (known != null && known.version().equals(version) && digest == null) return known;
    Validators fresh = new Validators(version, version.etag(), HTTP_DATE.format(Instant.ofEpochSecond(version.modifiedSeconds())),
        digest == null ? null : "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digest)) + ":");
    if (validators.size() >= MAX_VALIDATORS) validators.clear();
    validators.put(version.path(), fresh);
    return fresh;
  }

  private static List<BodyWriter.Part> multipart(HttpServerExchange exchange, List<ByteRanges.Range> ranges, long size) {
    byte[] token = new byte[12];
    RANDOM.nextBytes(token);
    String boundary = "SU" + HexFormat.of().formatHex(token);
    List<BodyWriter.Part> parts = new ArrayList<>();
    long length = 0;
    for (int i = 0; i < ranges.size(); i++) {
      ByteRanges.Range range = ranges.get(i);
      byte[] header = ((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + OCTETS
          + "\r\nContent-Range: " + range.contentRange(size) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      parts.add(BodyWriter.Part.bytes(ByteBuffer.wrap(header)));
      parts.add(BodyWriter.Part.file(range.first(), range.length()));
      length += header.length + range.length();
    }
    byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    parts.add(BodyWriter.Part.bytes(ByteBuffer.wrap(end)));
    length += end.length;
    exchange.setStatusCode(206);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
    return parts;
  }
}
