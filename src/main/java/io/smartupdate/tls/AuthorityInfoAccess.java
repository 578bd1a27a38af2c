package io.smartupdate.tls;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * A certificate's Authority Information Access extension, read with Bouncy Castle: a class of its own,
 * loaded only for a certificate that has the extension, so that the usual start never loads Bouncy Castle.
 */
final class AuthorityInfoAccess {
  /** The extension's OID (RFC 5280, 4.2.2.1). */
  static final String OID = "1.3.6.1.5.5.7.1.1";

  private AuthorityInfoAccess() {}

  /** Whether the extension names an OCSP responder; true when it cannot be read (JSSE then decides for itself). */
  static boolean namesOcspResponder(X509Certificate leaf) {
    byte[] aia = leaf.getExtensionValue(Extension.authorityInfoAccess.getId());
    if (aia == null) return false;
    try {
      AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(aia));
      return Arrays.stream(access.getAccessDescriptions()).anyMatch(d -> d.getAccessMethod().equals(AccessDescription.id_ad_ocsp));
    } catch (IOException | IllegalArgumentException e) {
      return true;
    }
  }
}
