/**
 * TLS material: generated or operator certificates (Bouncy Castle), the SSLContext, and the
 * protocol and cipher-suite policy every listener applies. Uses {@code core} only.
 */
package io.smartupdate.tls;
