/**
 * {@code GET /}: the live web view. One page and its script and style, plain files read from the
 * jar ({@code src/main/resources/io/smartupdate/web}, no build chain), served with a strict CSP
 * (no inline script or style), {@code nosniff}, {@code no-referrer} and {@code frame-ancestors
 * 'none'}. The page reads the public API ({@code /api/server}, {@code /api/nodes},
 * {@code /api/downloads}, {@code /api/catalog}, {@code /api/handoff}) and follows
 * {@code /api/events}; the server keeps no state for it. Uses {@code http} only.
 */
package io.smartupdate.web;
