/**
 * Write authentication: the token file in the data directory, bearer and HMAC-signed requests,
 * and the nonce cache against replays. Uses {@code core} and {@code http} (its refusals are HTTP 401s).
 */
package io.smartupdate.auth;
