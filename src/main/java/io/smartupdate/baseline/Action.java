package io.smartupdate.baseline;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a node needs for one component of a baseline. */
public enum Action {
  UPDATE("update"), UP_TO_DATE("up-to-date"), DOWNGRADE("downgrade"), REWRITE("rewrite"), BLOCKED("blocked"),
  NOT_APPLICABLE("not-applicable"), UNKNOWN("unknown");

  private final String json;

  Action(String json) {
    this.json = json;
  }

  @JsonValue
  public String json() {
    return json;
  }

  /** The action named {@code text} as written in JSON ({@code up-to-date}). */
  public static Action parse(String text) {
    for (Action a : values()) if (a.json.equals(text)) return a;
    throw new IllegalArgumentException("unknown action \"" + text + "\"");
  }
}
