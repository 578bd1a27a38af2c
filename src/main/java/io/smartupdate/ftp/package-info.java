/**
 * The optional read-only FTP/FTPS service over the firmware repository (Apache FtpServer), with
 * the same confinement as HTTP ({@link io.smartupdate.firmware.RepositoryPolicy}). Uses {@code core},
 * {@code firmware} (the policy only) and {@code tls}.
 */
package io.smartupdate.ftp;
