package io.smartupdate.imports;

/** An import refused, in one line naming the input (catalog, package or file) and what is wrong with it. */
public final class ImportException extends RuntimeException {
  public ImportException(String message) {
    super(message, null, false, false);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
