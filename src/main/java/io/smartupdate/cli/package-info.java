/**
 * The command line (picocli): the server's options in SUM and GNU forms, {@code smartupdate ports},
 * logging set-up, exit codes and signals. The top of the package graph: uses {@code server} and
 * the features' config types, and nothing uses it.
 */
package io.smartupdate.cli;
