package io.smartupdate.core;

/** The server cannot start as configured; the message is one line that names what to fix. */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
