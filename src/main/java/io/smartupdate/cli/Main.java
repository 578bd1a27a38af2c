package io.smartupdate.cli;

import io.smartupdate.server.ServerConfig;
import io.smartupdate.server.SmartUpdateServer;
import io.smartupdate.core.StartupException;
import io.smartupdate.core.Threads;
import io.smartupdate.server.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import sun.misc.Signal;

/** Entry point: parses the command line, starts the server, prints the ready line, stops on SIGTERM/SIGINT. */
public final class Main {
  /** The subcommands by name, in the order help lists them. */
  private static final Map<String, Supplier<CliCommand>> SUBCOMMANDS = subcommands();
  private static final Set<String> HELP = Set.of("/?", "/help", "-h", "--help");

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

  /** The command line of the server and all its subcommands. */
  static CommandLine commandLine(ServeCommand command) {
    return commandLine(command, true);
  }

  /**
   * The command line of the server, with its subcommands or without: picocli builds a subcommand's whole
   * model (reflection, annotation proxies) when it is added, a tenth of a start for eight that a server never runs.
   */
  static CommandLine commandLine(ServeCommand command, boolean withSubcommands) {
    CommandLine cli = new CommandLine(command);
    if (withSubcommands) SUBCOMMANDS.forEach((name, subcommand) -> cli.addSubcommand(name, subcommand.get()));
    // Applied after the subcommands are added: picocli passes these settings on only to those it already has.
    return sumSyntax(cli).setSubcommandsCaseInsensitive(true);
  }

  private static Map<String, Supplier<CliCommand>> subcommands() {
    Map<String, Supplier<CliCommand>> all = new LinkedHashMap<>();
    all.put("ports", PortsCommand::new);
    all.put("deploy", DeployCommand::new);
    all.put("analyze", AnalyzeCommand::new);
    all.put("status", StatusCommand::new);
    all.put("import", ImportCommand::new);
    all.put("report", ReportCommand::new);
    all.put("token", TokenCommand::new);
    all.put("train", TrainCommand::new);
    return Collections.unmodifiableMap(all);
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
    CommandLine cli = serverOnly(args);
    if (cli == null) cli = commandLine(new ServeCommand());
    ExitCodes codes = new ExitCodes(err);
    cli.setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler(codes)
        .setExecutionExceptionHandler(codes)
        .setExecutionStrategy(parsed -> execute(parsed, out, err));
    return cli.execute(args);
  }

  /**
   * The server's own command line when {@code args} parse as a server's without a subcommand (and ask for no
   * help, which lists them), else null: a subcommand, help or any error gets the whole command line, so
   * that what it runs or says is the same as ever.
   */
  static CommandLine serverOnly(String[] args) {
    for (String arg : args) {
      String word = arg.toLowerCase(Locale.ROOT);
      if (SUBCOMMANDS.containsKey(word) || HELP.contains(word)) return null;
    }
    CommandLine cli = commandLine(new ServeCommand(), false);
    try {
      cli.parseArgs(args);
      return cli;
    } catch (ParameterException e) {
      return null;
    }
  }

  /** Help and version for whichever command asked, else the last command named runs. */
  private static int execute(ParseResult parsed, PrintStream out, PrintStream err) {
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) return help;
    List<CommandLine> chain = parsed.asCommandLineList();
    CommandLine last = chain.get(chain.size() - 1);
    try {
      return ((CliCommand) last.getCommand()).run(last, out, err);
    } catch (ParameterException e) {
      throw e; // picocli sends it to the parameter handler
    } catch (Exception e) {
      throw new ExecutionException(last, e.toString(), e);
    }
  }

  /** Serves until SIGTERM or SIGINT; exit 2 for a configuration it cannot start with, 1 for a bug. */
  static int serve(ServerConfig config, Path logDir, PrintStream out, PrintStream err) {
    Logger log = LoggerFactory.getLogger(Main.class);
    SmartUpdateServer server;
    try {
      server = SmartUpdateServer.start(config);
    } catch (StartupException e) {
      log.debug("start failed", e);
      err.println("smartupdate: " + e.getMessage());
      Logging.stop();
      return ExitCodes.CONFIG;
    } catch (RuntimeException e) {
      log.error("start failed", e);
      err.println("smartupdate: cannot start: " + e + " (details in the log)");
      Logging.stop();
      return ExitCodes.FAILURE;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "smartupdate-shutdown"));
    log.info("smartupdate {} serving {}; logs in {}", Version.get(),
        config.objectStore() != null ? config.objectStore().url() : config.repo(), logDir);
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
}
