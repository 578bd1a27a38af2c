package io.smartupdate.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a feature says went wrong with a request, in its own terms; {@code http} maps each kind to
 * a status code and the JSON error shape in one place. {@link #code()} is the short machine name
 * ({@code not_found}, {@code invalid_node}); the message is the detail that tells what to fix.
 */
public abstract sealed class Problem extends RuntimeException
    permits Problem.NotFound, Problem.BadInput, Problem.Unauthorized, Problem.Forbidden, Problem.TooMany, Problem.Busy,
    Problem.Changed, Problem.Conflict, Problem.Unavailable {
  private final String code;
  private final Duration retryAfter;

  private Problem(String code, String detail, Duration retryAfter) {
    // No stack trace: these are answers to clients, thrown often and never logged with a trace.
    super(Objects.requireNonNull(detail, "detail == null"), null, false, false);
    this.code = Objects.requireNonNull(code, "code == null");
    this.retryAfter = retryAfter;
  }

  public String code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  /** When the client may try again, or null when retrying the same request cannot help. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The thing asked for does not exist. */
  public static final class NotFound extends Problem {
    public NotFound(String detail) {
      super("not_found", detail, null);
    }
  }

  /** The request itself is wrong; the code names the field or part to fix. */
  public static final class BadInput extends Problem {
    public BadInput(String code, String detail) {
      super(code, detail, null);
    }

    /** {@code invalid_<field>}, with a detail that starts with the field's name. */
    public static BadInput field(String field, String why) {
      return new BadInput("invalid_" + field, field + " " + why);
    }
  }

  /** The request does not prove who sent it (no credential, or a wrong one); the detail says how to. */
  public static final class Unauthorized extends Problem {
    public Unauthorized(String detail) {
      super("unauthorized", detail, null);
    }
  }

  /** Whoever sent it, this request is not allowed here (a port that belongs to someone else's session). */
  public static final class Forbidden extends Problem {
    public Forbidden(String detail) {
      super("forbidden", detail, null);
    }
  }

  /** This client already holds its share of something bounded per client; retry once it lets one go. */
  public static final class TooMany extends Problem {
    public TooMany(String code, String detail, Duration retryAfter) {
      super(code, detail, Objects.requireNonNull(retryAfter, "retryAfter == null"));
    }
  }

  /** A bounded resource is in use right now (ports, queues); retry later. */
  public static final class Busy extends Problem {
    public Busy(String code, String detail, Duration retryAfter) {
      super(code, detail, Objects.requireNonNull(retryAfter, "retryAfter == null"));
    }
  }

  /** The thing changed underneath the request (a file being replaced); retrying soon will see the new one. */
  public static final class Changed extends Problem {
    public Changed(String code, String detail) {
      super(code, detail, Duration.ofSeconds(1));
    }
  }

  /** Someone else holds the thing right now (a deploy run's lease); the detail names who, and until when. */
  public static final class Conflict extends Problem {
    public Conflict(String code, String detail) {
      super(code, detail, null);
    }
  }

  /** A part the request needs is down or stopping; nothing was done, retry later. */
  public static final class Unavailable extends Problem {
    public Unavailable(String code, String detail, Duration retryAfter) {
      super(code, detail, Objects.requireNonNull(retryAfter, "retryAfter == null"));
    }
  }
}
