package io.smartupdate.cli;

import io.smartupdate.core.StartupException;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become exit codes: a usage error or a configuration the command
 * cannot run with is 2 with one line naming the fix; anything else is a bug, 1, its stack trace in
 * the log. Commands return their outcomes' codes (a BMC failed: 1) themselves.
 */
final class ExitCodes implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final int OK = 0;
  /** Something failed: a BMC, the server's answer, or a bug. */
  static final int FAILURE = 1;
  /** A configuration the command cannot run with (bad option, taken or privileged port, bad certificate). */
  static final int CONFIG = 2;

  private final PrintStream err;

  ExitCodes(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    err.println("smartupdate: " + oneLine(e));
    err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
    return CONFIG;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    if (e instanceof ParameterException usage) return handleParseException(usage, parsed.originalArgs().toArray(String[]::new));
    if (e instanceof StartupException startup) {
      LoggerFactory.getLogger(ExitCodes.class).debug("{} cannot run", command.getCommandName(), e);
      err.println("smartupdate: " + startup.getMessage());
      return CONFIG;
    }
    LoggerFactory.getLogger(ExitCodes.class).error("{} failed", command.getCommandSpec().qualifiedName(), e);
    err.println("smartupdate: failed: " + e + " (details in the log)");
    return FAILURE;
  }

  static String oneLine(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      return arg.startsWith("/") || arg.startsWith("-") ? "unknown option '" + arg + "'" : "unexpected argument '" + arg + "'";
    }
    String message = e.getMessage().lines().findFirst().orElse("invalid command line");
    if (e.getArgSpec() instanceof OptionSpec option) {
      // picocli names the GNU form; a SUM user typed the other one, so name both.
      message = message.replace("'" + option.longestName() + "'", "'" + String.join("', '", option.names()) + "'");
    }
    return message;
  }
}
