package io.smartupdate.transport;

import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.NetworkUtils;
import io.undertow.util.Protocols;
import java.util.regex.Pattern;

/**
 * The Host header rules Undertow applies to every request before any handler (RFC 9112 3.2, RFC
 * 3986 3.2.2: one Host, a port in 1-65535, an IP literal, IPvFuture or reg-name), with the same
 * verdicts as Undertow 2.4's {@code HostHeaderHandler} but without its IPv4 regular expression.
 * That expression only decided whether to skip the reg-name character check, and every string it
 * accepts (digits and dots) passes that check too, so dropping it changes no verdict; it cost a few
 * microseconds a request (nested optional groups, backtracking on every "127.0.0.1").
 */
public final class HostCheck {
  public static final String NO_HOST = "No Host Header";
  public static final String TOO_MANY_HOSTS = "Only One Host Header Allowed";
  public static final String MALFORMED_PORT = "Host Header Malformed Port";
  public static final String MALFORMED_IP_LITERAL = "Host Header Malformed IP-Literal";
  public static final String BAD_CHARACTERS = "Host Header Bad Characters";
  public static final String HOST_NO_MATCH = "URI Host Header NO MATCH";

  /** Bracketed IPv6 literals are rare (BMCs and load balancers send names or IPv4): Undertow's own pattern serves them. */
  private static final Pattern IP6 = Pattern.compile(NetworkUtils.IP6_EXACT);

  private HostCheck() {}

  /**
   * Why the request must be refused (400, the connection closed), or null when it may go on.
   *
   * @param hosts the request's Host values, null when it has none
   * @param absoluteUri whether the request target named a host itself ({@code GET http://h/x}); then the Host must be in it
   */
  public static String problem(HttpString protocol, HeaderValues hosts, boolean absoluteUri, String requestUri) {
    if (hosts == null && (protocol.equals(Protocols.HTTP_0_9) || protocol.equals(Protocols.HTTP_1_0))) return null;
    if (hosts == null || hosts.size() == 0) return NO_HOST;
    if (hosts.size() > 1) return TOO_MANY_HOSTS;
    String value = hosts.element();
    int bracket = value.lastIndexOf(']');
    int colon = value.lastIndexOf(':');
    String host = value;
    if (bracket < colon) { // a port, or a colon inside an unclosed IP literal
      if (bracket == -1 && value.startsWith("[")) return MALFORMED_IP_LITERAL;
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port <= 0 || port > 65535) return MALFORMED_PORT;
      } catch (NumberFormatException e) {
        return MALFORMED_PORT;
      }
      host = value.substring(0, colon);
    }
    String problem = bracket > 0 ? ipLiteralProblem(host) : regNameProblem(host);
    if (problem != null) return problem;
    if (absoluteUri && (!requestUri.contains(host) || host.isEmpty())) return HOST_NO_MATCH;
    return null;
  }

  /** {@code "[" ( IPv6address / IPvFuture ) "]"}, IPvFuture being {@code "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )}. */
  private static String ipLiteralProblem(String host) {
    if (host.indexOf('[') != 0) return MALFORMED_IP_LITERAL;
    String inner = host.substring(1, host.length() - 1);
    if (!inner.startsWith("v")) return IP6.matcher(inner).matches() ? null : MALFORMED_IP_LITERAL;
    int dot = inner.indexOf('.');
    if (dot < 2) return MALFORMED_IP_LITERAL;
    for (int i = 1; i < dot; i++) {
      if (!hex(inner.charAt(i))) return BAD_CHARACTERS;
    }
    if (dot + 1 >= inner.length()) return MALFORMED_IP_LITERAL;
    for (int i = dot + 1; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c != ':' && !regNameCharacter(c)) return BAD_CHARACTERS;
    }
    return null;
  }

  /** {@code *( unreserved / pct-encoded / sub-delims )}; an IPv4 address is one too. */
  private static String regNameProblem(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '%') {
        if (i + 2 >= host.length()) return MALFORMED_IP_LITERAL;
        if (!hex(host.charAt(++i)) || !hex(host.charAt(++i))) return BAD_CHARACTERS;
      } else if (!regNameCharacter(c)) {
        return BAD_CHARACTERS;
      }
    }
    return null;
  }

  private static boolean hex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** unreserved and sub-delims: ALPHA DIGIT - . _ ~ ! $ & ' ( ) * + , ; = */
  private static boolean regNameCharacter(char c) {
    if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') return true;
    return switch (c) {
      case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=' -> true;
      default -> false;
    };
  }
}
