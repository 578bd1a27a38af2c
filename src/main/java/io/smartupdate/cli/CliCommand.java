package io.smartupdate.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * A command of the command line. It returns its outcome's exit code (0, or what its own result
 * means); for errors it throws, and {@link ExitCodes} alone turns what it throws into a code.
 */
interface CliCommand {
  /**
   * @throws picocli.CommandLine.ParameterException a bad option value: one line, exit 2
   * @throws io.smartupdate.core.StartupException what the operator must fix to start: one line, exit 2
   */
  int run(CommandLine self, PrintStream out, PrintStream err) throws Exception;
}
