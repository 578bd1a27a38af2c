/**
 * The firmware repository and its HTTP routes: safe path resolution, consistent opens, RFC 9110
 * downloads (ranges, validators, Repr-Digest), the catalog, the SHA-256 cache, and the
 * {@link io.smartupdate.firmware.RepositoryPolicy} that decides what any client (HTTP or FTP) may
 * see. Uses {@code core} and {@code http}.
 */
package io.smartupdate.firmware;
