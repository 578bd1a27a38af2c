/**
 * The command line (picocli): the server's options in SUM and GNU forms, {@code smartupdate ports},
 * {@code status} and {@code deploy} (its progress display and summary table; the Redfish work is in
 * {@code redfish}), logging set-up, exit codes and signals. The top of the package graph: uses
 * {@code server}, {@code redfish} and the features' config types, and nothing uses it.
 */
package io.smartupdate.cli;
