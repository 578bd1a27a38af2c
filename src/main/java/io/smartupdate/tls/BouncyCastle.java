package io.smartupdate.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance, passed explicitly where needed and never registered. */
final class BouncyCastle {
  // Registering it would let JCA lookups, and JSSE with them, pick BC; the server's TLS stays on the JDK.
  static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
