package io.smartupdate.tls;

/** Unusable TLS material; the message is one line naming the file and what to fix. */
public final class TlsException extends RuntimeException {
  /** A failure described by {@code message}. */
  public TlsException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
