package io.smartupdate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.smartupdate.core.StartupException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The one mapping from what a command throws to its exit code and its one line. */
class ExitCodesTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ExitCodes.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--count")
    int count;

    Exception failure;

    @Override
    public Integer call() throws Exception {
      if (failure != null) throw failure;
      if (count < 0) throw new CommandLine.ParameterException(spec.commandLine(), "invalid value for --count: " + count);
      return 0;
    }
  }

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  private int run(Probe probe, String... args) {
    ExitCodes codes = new ExitCodes(new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(probe).setParameterExceptionHandler(codes).setExecutionExceptionHandler(codes).execute(args);
  }

  private List<String> lines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aBugIsExit1WithItsStackTraceInTheLog() {
    Probe probe = new Probe();
    IllegalStateException bug = new IllegalStateException("no such state");
    probe.failure = bug;
    assertEquals(1, run(probe));
    assertEquals(List.of("smartupdate: failed: java.lang.IllegalStateException: no such state (details in the log)"), lines());
    ILoggingEvent event = logged.list.get(0);
    assertEquals("ERROR", event.getLevel().toString());
    assertEquals(bug.getMessage(), event.getThrowableProxy().getMessage(), "logged with the exception, so with its trace");
    assertTrue(event.getThrowableProxy().getStackTraceElementProxyArray().length > 0);
  }

  @Test
  void aStartupErrorIsExit2AndOneLineWithoutATrace() {
    Probe probe = new Probe();
    probe.failure = new StartupException("HTTP port 80 is privileged (< 1024)");
    assertEquals(2, run(probe));
    assertEquals(List.of("smartupdate: HTTP port 80 is privileged (< 1024)"), lines());
    assertTrue(logged.list.stream().noneMatch(e -> e.getLevel().toString().equals("ERROR")));
  }

  @Test
  void aUsageErrorFoundWhileRunningIsExit2AndPointsAtTheCommandsHelp() {
    assertEquals(2, run(new Probe(), "--count", "-1"));
    assertEquals(List.of("smartupdate: invalid value for --count: -1", "Try 'probe --help' for the options."), lines());
  }

  @Test
  void aParseErrorIsExit2AndNamesTheUnknownOption() {
    assertEquals(2, run(new Probe(), "/nope"));
    assertEquals(List.of("smartupdate: unknown option '/nope'", "Try 'probe --help' for the options."), lines());
  }

  @Test
  void theCommandLineOfDeployNamesDeploysHelp() {
    CliRun run = CliRun.of("deploy", "--parallel", "many");
    assertEquals(2, run.code());
    assertEquals("Try 'smartupdate deploy --help' for the options.", run.err().lines().skip(1).findFirst().orElse(""), run.err());
  }
}
