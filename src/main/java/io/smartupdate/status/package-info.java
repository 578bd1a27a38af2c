/**
 * Node status: event parsing (JSON and Redfish EventService payloads), the SQLite/PostgreSQL store
 * with migrations, group commit, the live hub and its SSE stream, and the status routes. Uses
 * {@code core}, {@code http} and {@code auth}; its public face is {@link io.smartupdate.status.StatusService}.
 */
package io.smartupdate.status;
