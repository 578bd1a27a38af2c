package io.smartupdate.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An HTTP error answered as JSON {@code {"error","detail"}}; thrown by handlers, mapped in one place. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String error;
  private final Map<String, String> headers;

  public ApiError(int status, String error, String detail) {
    this(status, error, detail, Map.of());
  }

  public ApiError(int status, String error, String detail, Map<String, String> headers) {
    super(Objects.requireNonNull(detail, "detail == null"), null, false, false);
    if (status < 400 || status > 599) throw new IllegalArgumentException("status " + status + " is not an error");
    this.status = status;
    this.error = Objects.requireNonNull(error, "error == null");
    this.headers = Map.copyOf(headers);
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, "bad_request", detail);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(404, "not_found", detail);
  }

  /** The same error with {@code more} headers besides its own. */
  public ApiError withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new ApiError(status, error, detail(), all);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String detail() {
    return getMessage();
  }

  /** Extra response headers, such as {@code Content-Range} on a 416 or {@code Retry-After} on a 503. */
  public Map<String, String> headers() {
    return headers;
  }
}
