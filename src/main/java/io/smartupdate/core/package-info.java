/**
 * The bottom of the package graph: what every feature may use and nothing here uses a feature.
 * Owns the feature errors ({@link io.smartupdate.core.Problem}, mapped to HTTP in {@code http}),
 * the start-up error and SUM's port binding with fall-back, the part lifecycle, and the small
 * shared rules (node names, port ranges, daemon threads, atomic file writes), and
 * {@link io.smartupdate.core.LiveFeed}, the snapshots a live stream carries besides its own
 * events. Uses only the JDK and SLF4J.
 */
package io.smartupdate.core;
