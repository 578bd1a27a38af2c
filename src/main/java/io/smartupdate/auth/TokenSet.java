package io.smartupdate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens writes are accepted with: the current one and, until {@code previousUntil}, the one
 * a rotation replaced, so that nodes still holding it keep posting while the new one is handed out.
 */
public record TokenSet(String current, String previous, Instant previousUntil) {
  /** Shorter tokens are refused: 32 characters of base64url carry 192 bits. */
  public static final int MIN_LENGTH = 32;

  public TokenSet {
    if (current == null || current.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("current token must be at least " + MIN_LENGTH + " characters");
    }
    if ((previous == null) != (previousUntil == null)) {
      throw new IllegalArgumentException("previous token and previousUntil must be given together");
    }
  }

  /** Only {@code current}. */
  public static TokenSet of(String current) {
    return new TokenSet(current, null, null);
  }

  /** The keys a write may be authenticated with at {@code now}: the current token first. */
  List<byte[]> keys(Instant now) {
    List<byte[]> keys = new ArrayList<>(2);
    keys.add(current.getBytes(StandardCharsets.UTF_8));
    if (previous != null && now.isBefore(previousUntil)) keys.add(previous.getBytes(StandardCharsets.UTF_8));
    return keys;
  }

  /** Whether {@code presented} is one of the keys at {@code now}; each comparison takes constant time. */
  boolean accepts(byte[] presented, Instant now) {
    boolean match = false;
    for (byte[] key : keys(now)) match |= MessageDigest.isEqual(presented, key);
    return match;
  }

  /** Never prints a token. */
  @Override
  public String toString() {
    return "TokenSet[previous " + (previous == null ? "none" : "until " + previousUntil) + "]";
  }
}
