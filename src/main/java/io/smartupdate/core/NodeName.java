package io.smartupdate.core;

import java.util.regex.Pattern;

/** The one rule for node names (status events, history, hand-off): 1-128 of {@code [A-Za-z0-9._:-]}. */
public final class NodeName {
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  /** Says the rule in words, for error details. */
  public static final String RULE = "1-128 characters of A-Z a-z 0-9 . _ : -";

  private NodeName() {}

  /** Whether {@code name} follows {@link #PATTERN}; checked without the regex, since every status post checks it twice. */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || name.length() > 128) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!allowed) return false;
    }
    return true;
  }

  /** Returns {@code name}, or throws {@code invalid_<field>} that states the rule. */
  public static String require(String field, String name) {
    if (!valid(name)) throw Problem.BadInput.field(field, "must be " + RULE);
    return name;
  }

  /**
   * A client's address ({@link java.net.InetAddress#getHostAddress}) as a node name: an IPv6 scope ({@code fe80::1%eth0}) becomes {@code .eth0},
   * since '%' is not allowed in node names.
   */
  public static String fromAddress(String hostAddress) {
    return hostAddress.replace('%', '.');
  }
}
