/**
 * Write authentication: the token file in the data directory (or, through {@link
 * io.smartupdate.auth.Tokens}, a shared store), rotation with a grace for the old token, bearer and
 * HMAC-signed requests, and the nonce cache against replays. Uses {@code core} only: its refusals are {@code Problem}s
 * (unauthorized; busy when the nonce cache is full), which {@code http} maps to 401 and 503.
 */
package io.smartupdate.auth;
