/**
 * The server's own record of firmware responses: every {@code GET|HEAD /firmware/...} from its
 * first byte to its end (client, range, bytes sent, result, hand-off session), the ones in flight
 * and a bounded ring of recent ones, {@code GET /api/downloads}, and their live progress for
 * {@code /api/events} as a {@link io.smartupdate.core.LiveFeed}.
 *
 * <p>A package of its own rather than part of {@code firmware}: it observes the exchange from
 * outside the route table (as the access log does), so it also sees the 404s and 403s that never
 * reach the firmware handler, and the download path carries no bookkeeping. What only the inner
 * handlers know (file size, hand-off session, a cut for an in-place rewrite) arrives as
 * {@link io.smartupdate.http.Attachments}. Uses {@code core} and {@code http}.
 */
package io.smartupdate.downloads;
