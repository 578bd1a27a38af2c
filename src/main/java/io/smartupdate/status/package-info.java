/**
 * Node status: event parsing (JSON and Redfish EventService payloads), the SQLite/PostgreSQL store
 * with migrations, group commit, the live hub and its SSE stream, and the status routes. Uses
 * {@code core}, {@code http}, {@code auth}, {@code baseline} and {@code downloads}; its public face is
 * {@link io.smartupdate.status.StatusService}, and {@link io.smartupdate.status.SharedState} for
 * what servers on one PostgreSQL share besides events (the write token, the record of downloads).
 */
package io.smartupdate.status;
