package io.smartupdate.firewall;

import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comment every rule we add carries, {@code smartupdate:<instance>:<pid>}: it tells our rules
 * from everyone else's and, through the pid, a running owner from a crashed one.
 */
record OwnerTag(String instance, long pid) {
  static final String PREFIX = "smartupdate:";
  private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final Pattern TAG = Pattern.compile("smartupdate:([A-Za-z0-9._-]{1,32}):([0-9]{1,10})");

  OwnerTag {
    if (instance == null || !INSTANCE.matcher(instance).matches()) {
      throw new IllegalArgumentException("firewall instance '" + instance + "' must be 1-32 letters, digits or ._-");
    }
    if (pid <= 0) throw new IllegalArgumentException("pid " + pid + " must be positive");
  }

  /** Reads a rule comment; empty for anything that is not exactly one of our tags (so foreign rules stay untouched). */
  static Optional<OwnerTag> parse(String comment) {
    if (comment == null) return Optional.empty();
    Matcher m = TAG.matcher(comment.strip());
    if (!m.matches()) return Optional.empty();
    return Optional.of(new OwnerTag(m.group(1), Long.parseLong(m.group(2))));
  }

  /**
   * A rule left by a run that is gone: its pid is not alive, or it is our own pid but no firewall
   * of this process holds the tag (the pid of a crashed run, reused by us, as happens in
   * containers, where the JVM gets the same low pid at each start).
   */
  boolean isStale(long ourPid, LongPredicate alive, Predicate<OwnerTag> heldHere) {
    return pid == ourPid ? !heldHere.test(this) : !alive.test(pid);
  }

  @Override
  public String toString() {
    return PREFIX + instance + ":" + pid;
  }
}
