/**
 * HTTP plumbing every feature shares: the route table features add their routes to
 * ({@link io.smartupdate.http.HttpFeature}), bounded non-blocking JSON bodies, JSON responses, and
 * the one mapping from failures ({@link io.smartupdate.core.Problem}, {@link io.smartupdate.http.ApiError},
 * anything else) to status codes and {@code {"error","detail"}}, and the {@link io.smartupdate.http.Attachments}
 * inner handlers leave for the observers around the route table. Uses {@code core}, Undertow and Jackson;
 * knows no feature.
 */
package io.smartupdate.http;
