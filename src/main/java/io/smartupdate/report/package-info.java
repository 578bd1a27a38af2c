/**
 * Reports (SUM's generatereports): an inventory, a compliance preview or a deploy run turned into
 * one {@link io.smartupdate.report.Report} table, then written as self-contained HTML, CSV, JSON or
 * JUnit XML. Pure formatting over {@code baseline} values; the CLI fetches the data from a server.
 */
package io.smartupdate.report;
