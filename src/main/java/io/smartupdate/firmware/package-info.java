/**
 * The firmware repository and its HTTP routes: safe path resolution, consistent opens, RFC 9110
 * downloads (ranges, validators, Repr-Digest), the catalog, the SHA-256 cache, and the
 * {@link io.smartupdate.firmware.RepositoryPolicy} that decides what any client (HTTP or FTP) may
 * see; the repository's manifest (baselines, each component's file checked against its entry) and
 * {@code /api/baselines}. Images come from an {@link io.smartupdate.firmware.ImageSource}: the
 * directory ({@link io.smartupdate.firmware.FirmwareRepository}) or object storage behind its cache
 * ({@link io.smartupdate.firmware.BucketImages}, over {@code objectstore}). Uses {@code core},
 * {@code http}, {@code baseline} and {@code objectstore}.
 */
package io.smartupdate.firmware;
