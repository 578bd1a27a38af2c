package io.smartupdate.cli;

import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import io.smartupdate.core.StartupException;
import io.smartupdate.core.Threads;
import io.smartupdate.server.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import sun.misc.Signal;

/** Entry point: parses the command line, starts the server, prints the ready line, stops on SIGTERM/SIGINT. */
public final class Main {
  /** Exit code for a configuration the server cannot start with (bad option, taken or privileged port, bad certificate). */
  static final int EXIT_CONFIG = 2;
  static final int EXIT_FAILURE = 1;

  private Main() {}

  public static void main(String[] args) {
    // A VirtualMachineError (OutOfMemoryError, StackOverflowError) in any thread leaves the server
    // in an unknown state: exit, so a service manager restarts it, instead of listening on as a zombie.
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (e instanceof VirtualMachineError) Threads.halt(thread, e);
      LoggerFactory.getLogger(Main.class).error("uncaught failure in thread {}", thread.getName(), e);
    });
    System.exit(run(args, System.out, System.err));
  }

  static CommandLine commandLine(ServeCommand command) {
    CommandLine cli = new CommandLine(command);
    cli.addSubcommand("ports", new PortsCommand());
    cli.addSubcommand("deploy", new DeployCommand());
    cli.addSubcommand("analyze", new AnalyzeCommand());
    cli.addSubcommand("status", new StatusCommand());
    cli.addSubcommand("import", new ImportCommand());
    cli.addSubcommand("train", new TrainCommand());
    // Applied after the subcommands are added: picocli passes these settings on only to those it already has.
    return sumSyntax(cli).setSubcommandsCaseInsensitive(true);
  }

  /** The parser settings every command shares, so {@code /PORT=80} and {@code /repo /data} parse everywhere. */
  static CommandLine sumSyntax(CommandLine cli) {
    return cli.setOptionsCaseInsensitive(true)
        .setAbbreviatedOptionsAllowed(false)
        .setUnmatchedOptionsAllowedAsOptionParameters(true)
        // "/repo /data" is a path, even though /data is also an option name.
        .setAllowOptionsAsOptionParameters(true);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    ServeCommand command = new ServeCommand();
    CommandLine cli = commandLine(command);
    ServerConfig config;
    try {
      ParseResult parsed = cli.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        cli.usage(out);
        return 0;
      }
      if (parsed.isVersionHelpRequested()) {
        cli.printVersionHelp(out);
        return 0;
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof PortsCommand ports) {
        return ports.run(out);
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof StatusCommand status) {
        return status.run(parsed.subcommand().commandSpec().commandLine(), out, err);
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof TrainCommand train) {
        return train.run(err);
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof ImportCommand importing) {
        return importing.run(parsed.subcommand().commandSpec().commandLine(), out, err);
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof AnalyzeCommand analyze) {
        return analyze.run(parsed.subcommand().commandSpec().commandLine(), out, err);
      }
      if (parsed.subcommand() != null && parsed.subcommand().commandSpec().userObject() instanceof DeployCommand deploy) {
        return deploy.run(parsed.subcommand().commandSpec().commandLine(), out, err);
      }
      config = command.toConfig(Path.of(System.getProperty("smartupdate.home", ".")));
    } catch (ParameterException e) {
      err.println("smartupdate: " + oneLine(e));
      err.println("Try 'smartupdate --help' for the options.");
      return EXIT_CONFIG;
    }
    try {
      Logging.configure(command.logDir(config), command.silent);
    } catch (IOException | RuntimeException e) {
      err.println("smartupdate: cannot write logs to " + command.logDir(config) + ": " + e.getMessage() + " (pass /logdir DIR)");
      return EXIT_CONFIG;
    }
    return serve(config, command.logDir(config), out, err);
  }

  private static int serve(ServerConfig config, Path logDir, PrintStream out, PrintStream err) {
    Logger log = LoggerFactory.getLogger(Main.class);
    SmartUpdateServer server;
    try {
      server = SmartUpdateServer.start(config);
    } catch (StartupException e) {
      log.debug("start failed", e);
      err.println("smartupdate: " + e.getMessage());
      Logging.stop();
      return EXIT_CONFIG;
    } catch (RuntimeException e) {
      log.error("start failed", e);
      err.println("smartupdate: cannot start: " + e + " (details in the log)");
      Logging.stop();
      return EXIT_FAILURE;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "smartupdate-shutdown"));
    log.info("smartupdate {} serving {}; logs in {}", Version.get(), config.repo(), logDir);
    if (runningAsRoot()) {
      log.info("running as root; the safer way is the smartupdate service user with only CAP_NET_BIND_SERVICE (README: Install)");
    }
    out.println(server.readyLine());
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopping");
    server.close();
    log.info("stopped");
    Logging.stop();
    return 0;
  }

  // SUM users start it as root, and that keeps working; /proc/self belongs to the effective user.
  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String oneLine(ParameterException e) {
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
