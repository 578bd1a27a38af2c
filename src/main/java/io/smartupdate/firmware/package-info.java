/**
 * The firmware repository and its HTTP routes: safe path resolution, consistent opens, RFC 9110
 * downloads (ranges, validators, Repr-Digest), the catalog, the SHA-256 cache, and the
 * {@link io.smartupdate.firmware.RepositoryPolicy} that decides what any client (HTTP or FTP) may
 * see; the repository's manifest (baselines, each component's file checked against its entry) and
 * {@code /api/baselines}. Uses {@code core}, {@code http} and {@code baseline}.
 */
package io.smartupdate.firmware;
