/**
 * The command line (picocli): the server's options in SUM and GNU forms, {@code smartupdate ports},
 * {@code status}, {@code deploy}, {@code analyze} and {@code import} (the Redfish work is in
 * {@code redfish}), logging set-up and signals. Each command is a {@link io.smartupdate.cli.CliCommand};
 * the option blocks several share are mixins ({@code PortOptions}, {@code PathOptions}, {@code BmcOptions});
 * {@link io.smartupdate.cli.ExitCodes} is the one place failures become exit codes. The top of the package graph: uses
 * {@code server}, {@code redfish} and the features' config types, and nothing uses it.
 */
package io.smartupdate.cli;
