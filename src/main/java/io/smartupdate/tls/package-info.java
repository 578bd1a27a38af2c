/**
 * TLS material: generated or operator certificates (Bouncy Castle), the SSLContext, and the
 * protocol and cipher-suite policy every listener applies, and the HTTPS engine (BoringSSL through
 * netty-tcnative, else the JDK's: {@link io.smartupdate.tls.TlsEngines}). Uses {@code core} only.
 */
package io.smartupdate.tls;
