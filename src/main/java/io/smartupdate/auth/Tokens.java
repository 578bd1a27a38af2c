package io.smartupdate.auth;

import java.time.Duration;

/** Where the write token lives: {@code data/token} for one server, the shared status database for several. */
public interface Tokens extends AutoCloseable {
  /** The tokens in force now, generating the first token when there is none. */
  TokenSet load();

  /**
   * Makes a new current token; the old one stays accepted for {@code grace}, so nodes can be given
   * the new one without failing in between. Returns the tokens in force after the rotation.
   */
  TokenSet rotate(Duration grace);

  /** Where the token is kept, for messages: a path or the database's credential-free location. */
  String where();

  @Override
  void close();
}
