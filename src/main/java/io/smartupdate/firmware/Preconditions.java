package io.smartupdate.firmware;

import io.undertow.util.DateUtils;
import java.util.Date;

/** RFC 9110 section 13.2.2: the order in which conditional request headers are evaluated. */
final class Preconditions {
  enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

  private Preconditions() {}

  /** For GET and HEAD, the only methods firmware answers: a matching If-None-Match is 304, never 412. */
  static Outcome evaluate(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
      String ifModifiedSince, ImageVersion version) {
    if (ifMatch != null) {
      if (!matches(ifMatch, version.etag(), false)) return Outcome.PRECONDITION_FAILED;
    } else if (ifUnmodifiedSince != null) {
      Date date = DateUtils.parseDate(ifUnmodifiedSince);
      if (date != null && version.modifiedSeconds() > date.getTime() / 1000) return Outcome.PRECONDITION_FAILED;
    }
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, version.etag(), true)) return Outcome.NOT_MODIFIED;
    } else if (ifModifiedSince != null) {
      Date date = DateUtils.parseDate(ifModifiedSince);
      if (date != null && version.modifiedSeconds() <= date.getTime() / 1000) return Outcome.NOT_MODIFIED;
    }
    return Outcome.PROCEED;
  }

  /** If-Range: a strong ETag must match exactly; a date must equal Last-Modified. */
  static boolean ifRangeMatches(String ifRange, ImageVersion version) {
    if (ifRange == null) return true;
    String value = ifRange.trim();
    if (value.startsWith("W/")) return false;
    if (value.startsWith("\"")) return value.equals(version.etag());
    Date date = DateUtils.parseDate(value);
    return date != null && date.getTime() / 1000 == version.modifiedSeconds();
  }

  /** Entity-tag list comparison; weak comparison ignores the W/ prefix, strong refuses weak tags. */
  static boolean matches(String header, String etag, boolean weak) {
    String list = header.trim();
    if (list.equals("*")) return true;
    for (String candidate : list.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        if (!weak) continue;
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) return true;
    }
    return false;
  }
}
