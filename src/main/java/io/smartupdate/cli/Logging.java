package io.smartupdate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.smartupdate.core.StartupException;
import io.smartupdate.ftp.FtpService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Console (stderr, so stdout carries only the ready line) plus a rolling file in the log directory. */
final class Logging {
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

  /**
   * Under systemd stderr goes to the journal, which stamps each line itself: no timestamp, and a
   * {@code <N>} syslog priority prefix (sd-daemon(3)) so that {@code journalctl -p warning} works.
   */
  private static final String JOURNAL_PATTERN =
      "%replace(%replace(%replace(%level){'ERROR','<3>'}){'WARN','<4>'}){'INFO|DEBUG|TRACE','<6>'}%-5level %logger{0} - %msg%n";

  private Logging() {}

  /** systemd sets these for a service's processes; JOURNAL_STREAM only when stdout or stderr is the journal. */
  static boolean underSystemd() {
    return System.getenv("JOURNAL_STREAM") != null || System.getenv("INVOCATION_ID") != null;
  }

  static void configure(Path logDir, boolean silent) throws IOException {
    configure(logDir, silent, "smartupdate");
  }

  /** As {@link #configure(Path, boolean, String)}; a directory it cannot write to is a configuration error. */
  static void configureOrRefuse(Path logDir, boolean silent, String fileName) {
    try {
      configure(logDir, silent, fileName);
    } catch (IOException | RuntimeException e) {
      throw new StartupException("cannot write logs to " + logDir + ": " + e.getMessage() + " (pass /logdir DIR)", e);
    }
  }

  /** As above, into {@code <name>.log}: deploy writes its own file beside a running server's, never into it. */
  static void configure(Path logDir, boolean silent, String fileName) throws IOException {
    Files.createDirectories(logDir);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, underSystemd() ? JOURNAL_PATTERN : "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n"));
    ThresholdFilter threshold = new ThresholdFilter();
    threshold.setLevel(silent ? "ERROR" : "INFO");
    threshold.start();
    console.addFilter(threshold);
    console.start();

    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("file");
    file.setFile(logDir.resolve(fileName + ".log").toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(file);
    rolling.setFileNamePattern(logDir.resolve(fileName + ".%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(5);
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf("20MB"));
    trigger.start();
    file.setRollingPolicy(rolling);
    file.setTriggeringPolicy(trigger);
    file.setEncoder(encoder(context, PATTERN));
    file.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    root.addAppender(file);
    // Undertow and XNIO report every reset or aborted download; an attacker must not be able to fill the log.
    context.getLogger("io.undertow").setLevel(Level.WARN);
    context.getLogger("io.undertow.request.io").setLevel(Level.ERROR);
    context.getLogger("org.xnio").setLevel(Level.WARN);
    context.getLogger("org.xnio.nio").setLevel(Level.ERROR);
    FtpService.LOG_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
  }

  static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) context.stop();
  }

  private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }
}
