package io.smartupdate.baseline;

/**
 * A manifest that cannot be used, said in one line: the file, the entry (its id, or its index when
 * it has none) and the field, then what is wrong. {@code entry} and {@code field} are null when the
 * problem is the file as a whole.
 */
public final class ManifestException extends IllegalArgumentException {
  private final String source;
  private final String entry;
  private final String field;

  public ManifestException(String source, String entry, String field, String why) {
    super(source + (entry == null ? "" : ": entry " + entry) + (field == null ? "" : ", field \"" + field + "\"") + ": " + why);
    this.source = source;
    this.entry = entry;
    this.field = field;
  }

  public String source() {
    return source;
  }

  public String entry() {
    return entry;
  }

  public String field() {
    return field;
  }
}
