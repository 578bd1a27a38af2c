/**
 * {@code GET /metrics}: the Prometheus registry (official Java client), the metrics the server
 * keeps, JVM metrics, and the observer that counts every response by route template and status
 * class. Features report through small interfaces they own (e.g.
 * {@link io.smartupdate.status.StatusMetrics}) or gauges read from plain suppliers, so no
 * feature package sees a Prometheus type and the client could be swapped here alone. Labels are
 * bounded sets only (scheme, route template, status class, phase): never a node, a client or a
 * file. Uses {@code core}, {@code http} and {@code status} (its reporting interface).
 */
package io.smartupdate.metrics;
