/**
 * Write authentication: the token file in the data directory, bearer and HMAC-signed requests,
 * and the nonce cache against replays. Uses {@code core} only: its refusals are {@code Problem}s
 * (unauthorized; busy when the nonce cache is full), which {@code http} maps to 401 and 503.
 */
package io.smartupdate.auth;
